using Keel.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.MemoryGuard;

/// <summary>
/// Reads every memory source in the background, through <see cref="TimeProvider"/>, and keeps the most constraining
/// reading, so that a memory guard checks memory with one field read. It also holds the bytes reserved by calls in
/// flight (admission by estimated bytes) and rate-limits the full garbage collections the guards trigger.
/// One sampler is shared by every guard of a container (<c>AddKeel</c> registers it); pipelines built without a
/// container share <see cref="Shared"/>.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private static readonly Lazy<MemorySampler> s_shared = new(static () => new MemorySampler(BuiltInSources(), TimeProvider.System, MemoryGuardDefaults.SampleInterval, NullLogger.Instance, KeelInstruments.Shared, isShared: true));

    private readonly IMemoryPressureSource[] _sources;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KeelInstruments? _instruments;
    private readonly bool _isShared;
    private readonly Lock _sampleLock = new();
    private readonly ITimer _timer;
    private MemorySample _current = MemorySample.Unknown;
    private readonly Lock _collectionLock = new();
    private long _reservedBytes;
    private long _lastCollection = long.MinValue;
    private Task<MemorySample>? _collection;

    internal MemorySampler(IEnumerable<IMemoryPressureSource> sources, TimeProvider timeProvider, TimeSpan sampleInterval, ILogger logger, KeelInstruments? instruments = null, bool isShared = false)
    {
        _sources = [.. sources];
        _timeProvider = timeProvider;
        _logger = logger;
        _instruments = instruments;
        _isShared = isShared;
        SampleInterval = sampleInterval;
        CollectionInterval = sampleInterval > MemoryGuardDefaults.ShortestCollectionInterval ? sampleInterval : MemoryGuardDefaults.ShortestCollectionInterval;
        SampleNow();
        _timer = timeProvider.CreateTimer(static state => ((MemorySampler)state!).SampleNow(), this, sampleInterval, sampleInterval);
    }

    /// <summary>Gets the sampler shared by pipelines built without a container: Keel's own sources, every 250 milliseconds.</summary>
    public static MemorySampler Shared => s_shared.Value;

    /// <summary>Gets how often the sources are read.</summary>
    public TimeSpan SampleInterval { get; }

    /// <summary>Gets the latest most constraining reading (the one with the highest load).</summary>
    public MemoryReading Current => Volatile.Read(ref _current).Reading;

    /// <summary>Gets the bytes reserved by calls in flight that declared an estimate.</summary>
    public long ReservedBytes => Interlocked.Read(ref _reservedBytes);

    /// <summary>
    /// Gets the shortest time between two collections the guards trigger: the sample interval, and at least one
    /// second, so sustained pressure costs at most one collection a second.
    /// </summary>
    internal TimeSpan CollectionInterval { get; }

    /// <summary>
    /// Gets or sets the full garbage collection a guard triggers; tests count it. A forced, non-blocking and
    /// non-compacting gen 2 collection: a background collection where the runtime has concurrent GC (the default),
    /// so the application's threads keep running while it marks.
    /// </summary>
    internal Action Collect { get; set; } = static () => GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);

    /// <summary>Gets the latest sample: the per-call check reads this one field.</summary>
    internal MemorySample CurrentSample => Volatile.Read(ref _current);

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>Keel's own sources, most specific first.</summary>
    internal static IMemoryPressureSource[] BuiltInSources() =>
        [CgroupMemorySource.V2(), CgroupMemorySource.V1(), new HostMemorySource(), new GcMemorySource()];

    /// <summary>Reads every source now and publishes the most constraining reading.</summary>
    internal MemorySample SampleNow()
    {
        lock (_sampleLock)
        {
            MemoryReading? best = null;
            foreach (var source in _sources)
            {
                try
                {
                    if (source.TryRead(out var reading) && (best is not { } b || reading.Load > b.Load))
                    {
                        best = reading;
                    }
                }
                catch (Exception exception)
                {
                    Log.MemorySourceFailed(_logger, source.Name, exception);
                }
            }

            var sample = best is { } found ? new MemorySample(found) : MemorySample.Unknown;
            Volatile.Write(ref _current, sample);
            if (double.IsFinite(sample.Load))
            {
                _instruments?.RecordMemoryLoad(sample.Load);
            }
            return sample;
        }
    }

    /// <summary>
    /// Asks for a full garbage collection off the caller's thread, rate-limited to one per
    /// <see cref="CollectionInterval"/> whoever asks: it runs on the thread pool, then takes a fresh sample. Callers
    /// that ask while one is running share it; callers that ask within the interval after one get the current sample
    /// at once. Never throws; a collection that fails is logged and answered with a fresh sample.
    /// </summary>
    /// <returns>The sample taken after the collection (or the current one, when none is due).</returns>
    internal Task<MemorySample> RequestCollection()
    {
        lock (_collectionLock)
        {
            if (_collection is { IsCompleted: false } running)
            {
                return running;
            }

            var now = _timeProvider.GetTimestamp();
            if (_lastCollection != long.MinValue && _timeProvider.GetElapsedTime(_lastCollection, now) < CollectionInterval)
            {
                return Task.FromResult(CurrentSample);
            }

            _lastCollection = now;
            var completion = new TaskCompletionSource<MemorySample>(TaskCreationOptions.RunContinuationsAsynchronously);
            _collection = completion.Task;
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Sampler.RunCollection(state.Completion, state.Started), (Sampler: this, Completion: completion, Started: now), preferLocal: false);
            return completion.Task;
        }
    }

    private void RunCollection(TaskCompletionSource<MemorySample> completion, long started)
    {
        var before = CurrentSample.Load;
        try
        {
            Collect();
        }
        catch (Exception exception)
        {
            Log.MemoryCollectionFailed(_logger, exception);
        }

        var after = SampleNow();
        Log.MemoryCollected(_logger, before, after.Load, after.Reading.Source, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        completion.TrySetResult(after);
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> against the headroom left under <paramref name="maxMemoryLoad"/>:
    /// limit × threshold − used − already reserved. Lock-free.
    /// </summary>
    internal bool TryReserve(long bytes, double maxMemoryLoad)
    {
        while (true)
        {
            var reserved = Interlocked.Read(ref _reservedBytes);
            var sample = Volatile.Read(ref _current);
            var headroom = (sample.LimitBytes * maxMemoryLoad) - sample.UsedBytes - reserved;
            if (bytes > headroom)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reservedBytes, reserved + bytes, reserved) == reserved)
            {
                return true;
            }
        }
    }

    /// <summary>Returns a reservation made by <see cref="TryReserve"/>.</summary>
    internal void Release(long bytes) => Interlocked.Add(ref _reservedBytes, -bytes);

    /// <summary>The headroom left for new reservations under <paramref name="maxMemoryLoad"/>, in bytes (negative when over).</summary>
    internal long Headroom(double maxMemoryLoad)
    {
        var sample = CurrentSample;
        var headroom = (sample.LimitBytes * maxMemoryLoad) - sample.UsedBytes - ReservedBytes;
        return headroom >= long.MaxValue ? long.MaxValue : (long)headroom;
    }

    /// <summary>Stops sampling. The <see cref="Shared"/> sampler ignores this: it lives as long as the process.</summary>
    public void Dispose()
    {
        if (!_isShared)
        {
            _timer.Dispose();
        }
    }
}
