namespace Keel.Retry;

/// <summary>How the wait before each retry is randomised, so that many clients failing together do not retry together.</summary>
public enum RetryJitter
{
    /// <summary>No randomness: the wait is exactly <c>BaseDelay × Factor^(retry − 1)</c>, capped by <c>MaxDelay</c>.</summary>
    None = 0,

    /// <summary>
    /// "Full jitter": the wait is drawn uniformly from zero to the exponential delay (capped by <c>MaxDelay</c>).
    /// This spreads retries the most and is the default.
    /// </summary>
    Full = 1,

    /// <summary>
    /// "Decorrelated jitter": each wait is drawn uniformly from <c>BaseDelay</c> to three times the previous wait,
    /// capped by <c>MaxDelay</c>. <c>Factor</c> does not apply.
    /// </summary>
    Decorrelated = 2,
}
