using Polly;

namespace Keel.Resilience;

/// <summary>
/// Runs the rest of the pipeline inside a Polly v8 <see cref="ResiliencePipeline"/>. Each execution Polly makes runs the
/// next link with Polly's cancellation token through
/// <see cref="InferenceHandler{TInput, TResult}.InvokeAsync(TInput, InferenceContext, CancellationToken)"/>, so
/// strategies that run the callback more than once or concurrently (retry, hedging) and strategies that substitute a
/// token (timeout) work unchanged, and what the inner decorators record (a cache hit, attempts) reaches the monitor.
/// Built on Keel's public decorator seam only.
/// </summary>
internal sealed class ResilienceDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, ResiliencePipeline pipeline)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly ResiliencePipeline _pipeline = pipeline;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var state = new InnerCall<TInput, TResult>(_next, input, context);
        if (context.IsSynchronous)
        {
            return new ValueTask<TResult>(_pipeline.Execute(static (s, token) => s.InvokeBlocking(token), state, context.CancellationToken));
        }

        return _pipeline.ExecuteAsync(static (s, token) => s.InvokeAsync(token), state, context.CancellationToken);
    }
}

/// <summary>
/// Runs the rest of the pipeline inside a typed Polly v8 <see cref="ResiliencePipeline{T}"/>, whose strategies can look
/// at results (hedging, fallback, result-based retry).
/// </summary>
internal sealed class TypedResilienceDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, ResiliencePipeline<TResult> pipeline)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly ResiliencePipeline<TResult> _pipeline = pipeline;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var state = new InnerCall<TInput, TResult>(_next, input, context);
        if (context.IsSynchronous)
        {
            return new ValueTask<TResult>(_pipeline.Execute(static (s, token) => s.InvokeBlocking(token), state, context.CancellationToken));
        }

        return _pipeline.ExecuteAsync(static (s, token) => s.InvokeAsync(token), state, context.CancellationToken);
    }
}

/// <summary>One execution of the rest of the pipeline on Polly's behalf.</summary>
internal readonly struct InnerCall<TInput, TResult>(InferenceHandler<TInput, TResult> next, TInput input, InferenceContext context)
{
    public ValueTask<TResult> InvokeAsync(CancellationToken cancellationToken) => next.InvokeAsync(input, context, cancellationToken);

    public TResult InvokeBlocking(CancellationToken cancellationToken)
    {
        var pending = next.InvokeAsync(input, context, cancellationToken);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }
}
