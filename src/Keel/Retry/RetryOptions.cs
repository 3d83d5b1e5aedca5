namespace Keel.Retry;

/// <summary>
/// Options of the retry decorator: exponential backoff with jitter, a cap on attempts and total time, a retry budget
/// shared by every call of a profile, and which failures are worth retrying.
/// </summary>
/// <remarks>
/// Options are validated once, when a pipeline is built or at start-up, and copied by the decorator; changing an
/// instance afterwards does not change a built pipeline.
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>Gets or sets the most attempts a call makes, the first included; 1 turns retry off.</summary>
    /// <value>The default value is 4: the first try and three retries, waiting about 1, 2 and 4 seconds before jitter.</value>
    public int MaxAttempts { get; set; } = RetryDefaults.MaxAttempts;

    /// <summary>Gets or sets the wait before the first retry, before jitter; each later wait is <see cref="Factor"/> times longer.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = RetryDefaults.BaseDelay;

    /// <summary>Gets or sets how much longer each wait is than the one before it; 1 keeps the wait constant.</summary>
    /// <value>The default value is 2.</value>
    public double Factor { get; set; } = RetryDefaults.Factor;

    /// <summary>Gets or sets the longest single wait, applied after backoff and to a server's retry hint.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = RetryDefaults.MaxDelay;

    /// <summary>Gets or sets how waits are randomised.</summary>
    /// <value>The default value is <see cref="RetryJitter.Full"/>.</value>
    public RetryJitter Jitter { get; set; } = RetryDefaults.Jitter;

    /// <summary>
    /// Gets or sets how long a call may spend on attempts and waits together before the decorator stops retrying;
    /// a retry whose wait would end past this limit is not made. It does not interrupt an attempt in progress:
    /// for that, add a timeout with <c>UseResilience</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no limit beyond <see cref="MaxAttempts"/>.</value>
    public TimeSpan? MaxTotalDuration { get; set; }

    /// <summary>Gets or sets the retry budget, which stops retries while too many calls of the profile fail.</summary>
    /// <value>The default value is an enabled budget of 10 tokens with a token ratio of 0.1.</value>
    public RetryBudgetOptions Budget { get; set; } = new();

    /// <summary>
    /// Gets or sets the predicate that decides whether a failure is worth retrying. Whatever it answers, Keel never
    /// retries a cancellation by the caller's token or a refusal by a decorator (<see cref="InferenceRefusedException"/>:
    /// <see cref="InputValidationException"/>, <see cref="MemoryPressureException"/>, or one of your own).
    /// </summary>
    /// <value>The default value is <see langword="null"/>, which retries what <see cref="TransientFailure.IsTransient(Exception)"/> accepts.</value>
    public Func<RetryPredicateArguments, ValueTask<bool>>? ShouldRetry { get; set; }

    /// <summary>Gets or sets a callback invoked before each wait, for logging or metrics.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<OnRetryArguments, ValueTask>? OnRetry { get; set; }

    /// <summary>Gets or sets the source of uniform random numbers in [0, 1) for jitter; tests replace it.</summary>
    internal Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;
}
