using System.Runtime.ExceptionServices;
using Keel.Pipeline;

namespace Keel.Retry;

/// <summary>
/// Retries the rest of the pipeline. The success path is one awaited call and, when a budget is enabled, one read of
/// its token count: nothing allocates and nothing throws.
/// </summary>
internal sealed class RetryDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, RetryStrategy strategy)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly RetryStrategy _strategy = strategy;

    public override async ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var strategy = _strategy;
        var started = strategy.HasTotalDurationLimit ? strategy.TimeProvider.GetTimestamp() : 0L;
        var previousDelay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            context.AttemptNumber = attempt;
            Exception failure;
            try
            {
                var result = await _next.InvokeAsync(input, context).ConfigureAwait(false);
                strategy.Budget?.RecordSuccess();
                return result;
            }
            catch (Exception exception) when (!RetryStrategy.IsNeverRetried(exception, context))
            {
                failure = exception;
            }

            var delay = await strategy.GetRetryDelayAsync(failure, attempt, started, previousDelay, context).ConfigureAwait(false);
            if (delay is not { } wait)
            {
                ExceptionDispatchInfo.Throw(failure);
                return default!; // unreachable: Throw never returns
            }

            previousDelay = wait;
            await strategy.TimeProvider.DelayAsync(wait, context).ConfigureAwait(false);
        }
    }
}
