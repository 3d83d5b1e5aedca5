namespace Keel.Pipeline;

/// <summary>
/// One link of a built pipeline: a decorator that holds the next link, or the terminal link that calls the model.
/// Every decorator is written once against <see cref="ValueTask{TResult}"/>; a synchronous call runs the same code
/// with <see cref="InferenceContext.IsSynchronous"/> set, so waits block instead of yielding and every
/// <see cref="ValueTask{TResult}"/> completes before it is returned.
/// </summary>
internal abstract class InferenceHandler<TInput, TResult>
{
    public abstract ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context);
}

/// <summary>The terminal link for an asynchronous model delegate.</summary>
internal sealed class AsyncDelegateHandler<TInput, TResult>(Func<TInput, CancellationToken, ValueTask<TResult>> callback)
    : InferenceHandler<TInput, TResult>
{
    private readonly Func<TInput, CancellationToken, ValueTask<TResult>> _callback = callback;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context) => _callback(input, context.CancellationToken);
}

/// <summary>The terminal link for a synchronous model delegate.</summary>
internal sealed class SyncDelegateHandler<TInput, TResult>(Func<TInput, CancellationToken, TResult> callback)
    : InferenceHandler<TInput, TResult>
{
    private readonly Func<TInput, CancellationToken, TResult> _callback = callback;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context) => new(_callback(input, context.CancellationToken));
}
