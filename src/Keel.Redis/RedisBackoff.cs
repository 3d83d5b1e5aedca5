using Microsoft.Extensions.Logging;

namespace Keel.Redis;

/// <summary>
/// Decides whether a call may ask Redis. After a failure Redis is skipped for the break duration; then one call (the
/// probe) is let through: if it succeeds, Redis is back in use, otherwise it is skipped for another period. Entering
/// the back-off is logged once as a Warning, each failed probe at Debug, and the recovery as Information.
/// </summary>
/// <remarks>The closed state is one field read, so the check costs nothing while Redis is healthy.</remarks>
internal sealed class RedisBackoff
{
    private const long Closed = long.MinValue;

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _breakTicks;
    private readonly long _breakMilliseconds;
    private long _retryAt = Closed;
    private long _downSince;
    private int _probing;
    private long _skipped;

    public RedisBackoff(TimeSpan breakDuration, TimeProvider timeProvider, ILogger logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _breakMilliseconds = (long)breakDuration.TotalMilliseconds;
        _breakTicks = (long)(breakDuration.TotalSeconds * timeProvider.TimestampFrequency);
    }

    /// <summary>Gets whether Redis is being skipped after a failure.</summary>
    public bool IsBackingOff => Volatile.Read(ref _retryAt) != Closed;

    /// <summary>Gets how many calls skipped Redis because of the back-off.</summary>
    public long SkippedCount => Interlocked.Read(ref _skipped);

    /// <summary>Returns whether this call may ask Redis; <paramref name="isProbe"/> is set for the one call that tests recovery.</summary>
    public bool TryEnter(out bool isProbe)
    {
        isProbe = false;
        var retryAt = Volatile.Read(ref _retryAt);
        if (retryAt == Closed)
        {
            return true;
        }

        if (_timeProvider.GetTimestamp() >= retryAt && Interlocked.CompareExchange(ref _probing, 1, 0) == 0)
        {
            isProbe = true;
            return true;
        }

        Interlocked.Increment(ref _skipped);
        return false;
    }

    /// <summary>Records that Redis answered.</summary>
    public void OnSuccess(bool isProbe)
    {
        if (Volatile.Read(ref _retryAt) != Closed && Interlocked.Exchange(ref _retryAt, Closed) != Closed)
        {
            var downMs = (long)_timeProvider.GetElapsedTime(Interlocked.Read(ref _downSince)).TotalMilliseconds;
            Log.RedisRecovered(_logger, downMs);
        }

        if (isProbe)
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    /// <summary>Releases the probe of a call that ended without an answer either way (canceled, or still connecting).</summary>
    public void Abandon(bool isProbe)
    {
        if (isProbe)
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    /// <summary>Records that Redis did not answer, and skips it for the break duration.</summary>
    public void OnFailure(bool isProbe, string reason, Exception? exception)
    {
        var now = _timeProvider.GetTimestamp();
        var previous = Interlocked.Exchange(ref _retryAt, now + _breakTicks);
        if (previous == Closed)
        {
            Interlocked.Exchange(ref _downSince, now);
            Log.RedisUnavailable(_logger, reason, _breakMilliseconds, exception);
        }
        else
        {
            Log.RedisStillUnavailable(_logger, reason, _breakMilliseconds, exception);
        }

        if (isProbe)
        {
            Volatile.Write(ref _probing, 0);
        }
    }
}
