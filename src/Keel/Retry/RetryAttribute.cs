using Keel.Retry;

namespace Keel;

/// <summary>
/// Retries the method on transient failures with exponential backoff, jitter and a retry budget. The source generator
/// compiles it into the method's wrapper. The properties set on the attribute are the lowest layer of the profile's
/// options: code (<c>ConfigureRetry</c>) and then configuration (<c>Keel:Retry:{profile}</c>) override them. Times are
/// in seconds, as in every Keel attribute.
/// </summary>
/// <example>
/// <code>
/// [Retry("feature-store", MaxAttempts = 5, BaseDelaySeconds = 0.2)]
/// public ValueTask&lt;float[]&gt; FetchFeaturesAsync(string customerId, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RetryAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="RetryAttribute"/> class for the default profile.</summary>
    public RetryAttribute()
    {
        Profile = RetryDefaults.ProfileName;
    }

    /// <summary>Initializes a new instance of the <see cref="RetryAttribute"/> class for a named profile.</summary>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    public RetryAttribute(string profile)
    {
        Profile = profile;
    }

    /// <summary>Gets the profile's name.</summary>
    /// <value>The default value is <c>Default</c>.</value>
    public string Profile { get; }

    /// <summary>Gets or sets the most attempts, the first included.</summary>
    /// <value>The default value is 4.</value>
    public int MaxAttempts { get; set; } = RetryDefaults.MaxAttempts;

    /// <summary>Gets or sets the wait before the first retry in seconds, before jitter.</summary>
    /// <value>The default value is 1.</value>
    public double BaseDelaySeconds { get; set; } = RetryDefaults.BaseDelaySeconds;

    /// <summary>Gets or sets how much longer each wait is than the one before.</summary>
    /// <value>The default value is 2.</value>
    public double Factor { get; set; } = RetryDefaults.Factor;

    /// <summary>Gets or sets the longest single wait in seconds.</summary>
    /// <value>The default value is 30.</value>
    public double MaxDelaySeconds { get; set; } = RetryDefaults.MaxDelaySeconds;

    /// <summary>Gets or sets how waits are randomised.</summary>
    /// <value>The default value is <see cref="RetryJitter.Full"/>.</value>
    public RetryJitter Jitter { get; set; } = RetryDefaults.Jitter;

    /// <summary>Gets or sets the longest time in seconds a call may spend on attempts and waits; 0 for no limit.</summary>
    /// <value>The default value is 0.</value>
    public double MaxTotalDurationSeconds { get; set; }
}
