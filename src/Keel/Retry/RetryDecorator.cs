using System.Runtime.ExceptionServices;
using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Retry;

/// <summary>
/// Retries the rest of the pipeline. The success path is one call of the next link and, when a budget is enabled, one
/// read of its token count: when the next link completes synchronously no async state machine runs, nothing
/// allocates and nothing throws.
/// </summary>
internal sealed class RetryDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, RetryStrategy strategy)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly RetryStrategy _strategy = strategy;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var started = _strategy.HasTotalDurationLimit ? _strategy.TimeProvider.GetTimestamp() : 0L;
        ValueTask<TResult> pending;
        try
        {
            pending = _next.InvokeAsync(input, context);
        }
        catch (Exception exception) when (!RetryStrategy.IsNeverRetried(exception, context))
        {
            return RetryAfterFailureAsync(input, context, ExceptionDispatchInfo.Capture(exception), started);
        }

        if (pending.IsCompletedSuccessfully)
        {
            _strategy.Budget?.RecordSuccess();
            return pending;
        }

        return AwaitFirstAttemptAsync(pending, input, context, started);
    }

    private async ValueTask<TResult> AwaitFirstAttemptAsync(ValueTask<TResult> pending, TInput input, InferenceContext context, long started)
    {
        ExceptionDispatchInfo failure;
        try
        {
            var result = await pending.ConfigureAwait(false);
            _strategy.Budget?.RecordSuccess();
            return result;
        }
        catch (Exception exception) when (!RetryStrategy.IsNeverRetried(exception, context))
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }

        return await RetryAfterFailureAsync(input, context, failure, started).ConfigureAwait(false);
    }

    /// <summary>Decides on the failure of attempt 1 and runs attempts 2, 3, … until one succeeds or no retry is left.</summary>
    private async ValueTask<TResult> RetryAfterFailureAsync(TInput input, InferenceContext context, ExceptionDispatchInfo failure, long started)
    {
        var strategy = _strategy;
        var previousDelay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var delay = await strategy.GetRetryDelayAsync(failure.SourceException, attempt, started, previousDelay, context).ConfigureAwait(false);
            if (delay is null)
            {
                failure.Throw();
            }

            previousDelay = delay.Value;
            await strategy.TimeProvider.DelayAsync(previousDelay, context).ConfigureAwait(false);
            context.AttemptNumber = attempt + 1;
            try
            {
                var result = await _next.InvokeAsync(input, context).ConfigureAwait(false);
                strategy.Budget?.RecordSuccess();
                return result;
            }
            catch (Exception exception) when (!RetryStrategy.IsNeverRetried(exception, context))
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }
    }
}

/// <summary>Adds the retry decorator to a pipeline being built.</summary>
internal static class RetryDecorator
{
    public const string Name = "Retry";

    public static InferenceHandler<TInput, TResult> Create<TInput, TResult>(InferenceHandler<TInput, TResult> next, InferenceBuildContext<TInput, TResult> context, ProfileRequest<RetryOptions> request)
    {
        var environment = context.Environment;
        var options = environment.ResolveOptions(RetryDefaults.Profile, request, Name, context.Errors, out var profile);
        if (options is null || options.MaxAttempts == 1)
        {
            return next;
        }

        // Every pipeline of a named profile in one container shares its budget; options in code get a budget of their own.
        RetryBudget? budget = null;
        if (options.Budget.Enabled)
        {
            budget = request.Fixed is null && environment.Services?.GetService<RetryBudgets>() is { } budgets
                ? budgets.Get(profile, options.Budget)
                : new RetryBudget(options.Budget.MaxTokens, options.Budget.TokenRatio);
        }

        var strategy = new RetryStrategy(options, profile, budget, context.TimeProvider, context.LoggerFactory.CreateLogger("Keel.Retry"), context.Instruments);
        return new RetryDecorator<TInput, TResult>(next, strategy);
    }
}
