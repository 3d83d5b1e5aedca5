namespace Keel.Retry;

/// <summary>The defaults of <see cref="RetryOptions"/> and <see cref="RetryAttribute"/>, in one place.</summary>
internal static class RetryDefaults
{
    public const string ProfileName = "Default";
    public const int MaxAttempts = 4;
    public const int BaseDelayMilliseconds = 1_000;
    public const int MaxDelayMilliseconds = 30_000;
    public const double Factor = 2.0;
    public const RetryJitter Jitter = RetryJitter.Full;
    public const double BudgetMaxTokens = 10;
    public const double BudgetTokenRatio = 0.1;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(BaseDelayMilliseconds);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(MaxDelayMilliseconds);

    /// <summary>The longest delay the options accept, to catch a unit mistake (seconds given as milliseconds, say).</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);
}
