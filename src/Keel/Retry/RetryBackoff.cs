namespace Keel.Retry;

/// <summary>The wait before each retry, computed from options that were validated beforehand.</summary>
internal readonly struct RetryBackoff(RetryJitter jitter, TimeSpan baseDelay, double factor, TimeSpan maxDelay, Func<double> randomizer)
{
    private const double DecorrelatedGrowth = 3.0;

    /// <summary>
    /// Returns the wait before retry number <paramref name="retryNumber"/> (1 for the first retry).
    /// <paramref name="previousDelay"/> is the wait before the previous retry, which decorrelated jitter grows from.
    /// </summary>
    public TimeSpan GetDelay(int retryNumber, TimeSpan previousDelay)
    {
        var cap = (double)maxDelay.Ticks;
        var baseTicks = (double)baseDelay.Ticks;
        double ticks;
        switch (jitter)
        {
            case RetryJitter.Decorrelated:
                var previous = retryNumber == 1 ? baseTicks : previousDelay.Ticks;
                var upper = Math.Max(baseTicks, previous * DecorrelatedGrowth);
                ticks = Math.Min(cap, baseTicks + (randomizer() * (upper - baseTicks)));
                break;
            case RetryJitter.Full:
                ticks = randomizer() * Exponential(retryNumber, baseTicks, cap);
                break;
            default:
                ticks = Exponential(retryNumber, baseTicks, cap);
                break;
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    private double Exponential(int retryNumber, double baseTicks, double cap)
    {
        // Math.Pow saturates to +Infinity for large exponents and Math.Min then returns the cap.
        var ticks = baseTicks * Math.Pow(factor, retryNumber - 1);
        return double.IsNaN(ticks) ? cap : Math.Min(cap, ticks);
    }
}
