using Keel.Profiles;
using Microsoft.Extensions.Configuration;

namespace Keel.Retry;

/// <summary>The defaults of <see cref="RetryOptions"/> and <see cref="RetryAttribute"/>, in one place.</summary>
internal static class RetryDefaults
{
    public const string ProfileName = "Default";
    public const int MaxAttempts = 4;
    public const double BaseDelaySeconds = 1;
    public const double MaxDelaySeconds = 30;
    public const double Factor = 2.0;
    public const RetryJitter Jitter = RetryJitter.Full;
    public const double BudgetMaxTokens = 10;
    public const double BudgetTokenRatio = 0.1;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(BaseDelaySeconds);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(MaxDelaySeconds);

    /// <summary>The longest delay the options accept, to catch a unit mistake (seconds given as milliseconds, say).</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    /// <summary>Retry's profiles: <c>Keel:Retry:{profile}</c>.</summary>
    public static readonly ProfileKind<RetryOptions> Profile = new(
        "Retry",
        ["MaxAttempts", "BaseDelay", "Factor", "MaxDelay", "Jitter", "MaxTotalDuration", "Budget:Enabled", "Budget:MaxTokens", "Budget:TokenRatio"],
        static (section, options) => section.Bind(options),
        RetryOptionsValidator.Validate);
}
