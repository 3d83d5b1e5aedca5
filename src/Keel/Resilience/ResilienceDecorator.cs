using Keel.Pipeline;
using Polly;

namespace Keel.Resilience;

/// <summary>
/// Runs the rest of the pipeline inside a Polly v8 <see cref="ResiliencePipeline"/>. Each execution Polly makes gets a
/// context of its own carrying Polly's cancellation token, so strategies that run the callback more than once or
/// concurrently (retry, hedging) and strategies that substitute a token (timeout) work unchanged.
/// </summary>
internal sealed class ResilienceDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, ResiliencePipeline pipeline)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly ResiliencePipeline _pipeline = pipeline;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var state = new State(_next, input, context);
        if (context.IsSynchronous)
        {
            return new ValueTask<TResult>(_pipeline.Execute(static (s, token) => s.InvokeAsync(token).GetResultBlocking(), state, context.CancellationToken));
        }

        return _pipeline.ExecuteAsync(static (s, token) => s.InvokeAsync(token), state, context.CancellationToken);
    }

    private readonly struct State(InferenceHandler<TInput, TResult> next, TInput input, InferenceContext context)
    {
        public ValueTask<TResult> InvokeAsync(CancellationToken cancellationToken)
        {
            var inner = InferenceContextPool.RentCopy(context, cancellationToken);
            ValueTask<TResult> pending;
            try
            {
                pending = next.InvokeAsync(input, inner);
            }
            catch
            {
                InferenceContextPool.Return(inner);
                throw;
            }

            if (pending.IsCompletedSuccessfully)
            {
                var result = pending.Result;
                InferenceContextPool.Return(inner);
                return new ValueTask<TResult>(result);
            }

            return AwaitAndReturnAsync(pending, inner);
        }

        private static async ValueTask<TResult> AwaitAndReturnAsync(ValueTask<TResult> pending, InferenceContext inner)
        {
            try
            {
                return await pending.ConfigureAwait(false);
            }
            finally
            {
                InferenceContextPool.Return(inner);
            }
        }
    }
}
