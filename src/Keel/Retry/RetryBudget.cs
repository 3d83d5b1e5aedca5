namespace Keel.Retry;

/// <summary>
/// The token bucket behind <see cref="RetryBudgetOptions"/> (gRFC A6), shared by every call of a profile. Tokens are
/// kept in thousandths, as gRPC does, so that updates are single interlocked operations on an integer.
/// </summary>
internal sealed class RetryBudget
{
    private const int Scale = 1000;
    private readonly int _maxMilliTokens;
    private readonly int _ratioMilliTokens;
    private readonly int _thresholdMilliTokens;
    private int _milliTokens;

    public RetryBudget(double maxTokens, double tokenRatio)
    {
        _maxMilliTokens = (int)Math.Round(maxTokens * Scale);
        _ratioMilliTokens = Math.Max(1, (int)Math.Round(tokenRatio * Scale));
        _thresholdMilliTokens = _maxMilliTokens / 2;
        _milliTokens = _maxMilliTokens;
    }

    /// <summary>Gets the tokens left, for tests and diagnostics.</summary>
    public double Tokens => Volatile.Read(ref _milliTokens) / (double)Scale;

    /// <summary>Gets a value indicating whether a retry may be made now: more than half of the tokens are left.</summary>
    public bool CanRetry => Volatile.Read(ref _milliTokens) > _thresholdMilliTokens;

    /// <summary>Refunds a successful attempt. A full bucket (the usual state) costs one read and no write.</summary>
    public void RecordSuccess()
    {
        var current = Volatile.Read(ref _milliTokens);
        while (current < _maxMilliTokens)
        {
            var next = Math.Min(_maxMilliTokens, current + _ratioMilliTokens);
            var seen = Interlocked.CompareExchange(ref _milliTokens, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Charges a failed attempt that could have been retried.</summary>
    public void RecordFailure()
    {
        var current = Volatile.Read(ref _milliTokens);
        while (current > 0)
        {
            var next = Math.Max(0, current - Scale);
            var seen = Interlocked.CompareExchange(ref _milliTokens, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
