using System.Threading.RateLimiting;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Load shedding: at most <c>permits</c> requests hold a slot at once, at most <c>queue</c> more wait for one (oldest
/// first), and one beyond that is refused at once, to be answered 503 with Retry-After and counted
/// (<c>embeddings_requests_shed_total</c>), as Ray Serve's <c>max_queued_requests</c> and Triton's <c>max_queue_size</c> do.
/// A request takes its slot after its body has arrived, so a slow upload never holds one.
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ServiceMetrics _metrics;
    private readonly bool _reportsSlots;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permits"/> is below 1 or <paramref name="queue"/> below 0.</exception>
    public AdmissionGate(int permits, int queue, ServiceMetrics metrics, bool reportsSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        ArgumentNullException.ThrowIfNull(metrics);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _metrics = metrics;
        _reportsSlots = reportsSlots;
    }

    /// <summary>Takes a slot, waiting in the queue if there is room; <see langword="null"/> when the request is shed.</summary>
    public async ValueTask<Slot?> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            Queued(1);
            try
            {
                lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queued(-1);
            }

            if (!lease.IsAcquired)
            {
                lease.Dispose();
                _metrics.Shed();
                return null;
            }
        }

        if (_reportsSlots)
        {
            _metrics.InFlight(1);
        }

        return new Slot(lease, this);
    }

    public void Dispose() => _limiter.Dispose();

    private void Queued(int delta)
    {
        if (_reportsSlots)
        {
            _metrics.Queued(delta);
        }
    }

    /// <summary>A slot held until disposed.</summary>
    public sealed class Slot(RateLimitLease lease, AdmissionGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lease.Dispose();
                if (gate._reportsSlots)
                {
                    gate._metrics.InFlight(-1);
                }
            }
        }
    }
}
