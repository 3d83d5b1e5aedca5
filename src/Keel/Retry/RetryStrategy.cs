using Keel.Monitoring;
using Microsoft.Extensions.Logging;

namespace Keel.Retry;

/// <summary>
/// The part of the retry decorator that does not depend on the pipeline's types: validated options copied into
/// fields, the budget, and the decision made after each failure.
/// </summary>
internal sealed class RetryStrategy
{
    private readonly int _maxAttempts;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _maxTotalDuration;
    private readonly RetryBackoff _backoff;
    private readonly Func<RetryPredicateArguments, ValueTask<bool>>? _shouldRetry;
    private readonly Func<OnRetryArguments, ValueTask>? _onRetry;
    private readonly ILogger _logger;
    private readonly KeelInstruments _instruments;
    private readonly string _profile;

    public RetryStrategy(RetryOptions options, string profile, RetryBudget? budget, TimeProvider timeProvider, ILogger logger, KeelInstruments instruments)
    {
        _maxAttempts = options.MaxAttempts;
        _maxDelay = options.MaxDelay;
        _maxTotalDuration = options.MaxTotalDuration ?? TimeSpan.MaxValue;
        _backoff = new RetryBackoff(options.Jitter, options.BaseDelay, options.Factor, options.MaxDelay, options.Randomizer);
        _shouldRetry = options.ShouldRetry;
        _onRetry = options.OnRetry;
        _profile = profile;
        _logger = logger;
        _instruments = instruments;
        Budget = budget;
        TimeProvider = timeProvider;
        HasTotalDurationLimit = options.MaxTotalDuration.HasValue;
    }

    public RetryBudget? Budget { get; }

    public TimeProvider TimeProvider { get; }

    public bool HasTotalDurationLimit { get; }

    /// <summary>
    /// Failures no predicate can make retryable: anything once the caller has cancelled, and every refusal by a
    /// decorator (<see cref="InferenceRefusedException"/>: invalid input will be as invalid next time, and retrying a
    /// memory-pressure refusal in place would defeat the guard).
    /// </summary>
    public static bool IsNeverRetried(Exception exception, InferenceContext context) =>
        context.CancellationToken.IsCancellationRequested || exception is InferenceRefusedException;

    /// <summary>
    /// Decides whether the failure of attempt <paramref name="attempt"/> is retried and how long to wait first;
    /// <see langword="null"/> means the caller gets the failure.
    /// </summary>
    public async ValueTask<TimeSpan?> GetRetryDelayAsync(Exception failure, int attempt, long started, TimeSpan previousDelay, InferenceContext context)
    {
        var retryable = _shouldRetry is null
            ? TransientFailure.IsTransient(failure)
            : await _shouldRetry(new RetryPredicateArguments(failure, attempt, context)).ConfigureAwait(false);
        if (!retryable)
        {
            return null;
        }

        Budget?.RecordFailure();
        if (attempt >= _maxAttempts)
        {
            Log.RetriesExhausted(_logger, context.ModelName, context.ModelVersion, context.OperationName, _profile, attempt);
            return null;
        }

        if (Budget is { CanRetry: false })
        {
            Log.RetryBudgetExhausted(_logger, context.ModelName, context.ModelVersion, context.OperationName, _profile, Budget.Tokens);
            _instruments.RecordRetryBudgetExhausted(context.ModelName, context.ModelVersion, context.OperationName, _profile);
            return null;
        }

        var hint = GetRetryAfterHint(failure);
        var delay = hint is { } retryAfter
            ? (retryAfter < TimeSpan.Zero ? TimeSpan.Zero : (retryAfter > _maxDelay ? _maxDelay : retryAfter))
            : _backoff.GetDelay(attempt, previousDelay);

        if (HasTotalDurationLimit && TimeProvider.GetElapsedTime(started) + delay > _maxTotalDuration)
        {
            Log.RetryTotalDurationReached(_logger, context.ModelName, context.ModelVersion, context.OperationName, _profile, attempt);
            return null;
        }

        if (_onRetry is not null)
        {
            await _onRetry(new OnRetryArguments(attempt, delay, failure, hint.HasValue, context)).ConfigureAwait(false);
        }

        Log.RetryScheduled(_logger, context.ModelName, context.ModelVersion, context.OperationName, _profile, attempt, delay.TotalMilliseconds, failure.GetType().Name, failure);
        _instruments.RecordRetryAttempt(context.ModelName, context.ModelVersion, context.OperationName, _profile);
        return delay;
    }

    private static TimeSpan? GetRetryAfterHint(Exception failure) => failure switch
    {
        TransientException transient => transient.RetryAfter,
        _ => null,
    };
}
