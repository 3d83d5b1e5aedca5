using System.Runtime.CompilerServices;

namespace Keel.Pipeline;

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

/// <summary>
/// The terminal link for an asynchronous model delegate that takes per-call state (an instance, a session). Only
/// <see cref="InferencePipeline{TState, TInput, TResult}"/> puts state on a context, and only a <typeparamref name="TState"/>,
/// so the cast cannot fail.
/// </summary>
internal sealed class AsyncStateHandler<TState, TInput, TResult>(Func<TState, TInput, CancellationToken, ValueTask<TResult>> callback)
    : InferenceHandler<TInput, TResult>
    where TState : class
{
    private readonly Func<TState, TInput, CancellationToken, ValueTask<TResult>> _callback = callback;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context) =>
        _callback(Unsafe.As<TState>(context.State!), input, context.CancellationToken);
}

/// <summary>The terminal link for a synchronous model delegate that takes per-call state.</summary>
internal sealed class SyncStateHandler<TState, TInput, TResult>(Func<TState, TInput, CancellationToken, TResult> callback)
    : InferenceHandler<TInput, TResult>
    where TState : class
{
    private readonly Func<TState, TInput, CancellationToken, TResult> _callback = callback;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context) =>
        new(_callback(Unsafe.As<TState>(context.State!), input, context.CancellationToken));
}
