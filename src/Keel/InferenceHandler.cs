using Keel.Pipeline;

namespace Keel;

/// <summary>
/// One link of a built pipeline: a decorator, which holds the next link and decides whether and how to call it, or
/// the terminal link that calls the model. Decorators are added with
/// <see cref="InferencePipelineBuilder{TInput, TResult}.Use"/>; each is written once against
/// <see cref="ValueTask{TResult}"/>, and a synchronous call runs the same code with
/// <see cref="InferenceContext.IsSynchronous"/> set.
/// </summary>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
/// <remarks>
/// A link is built once and called concurrently by every call of its pipeline: keep per-call state in locals or on the
/// <see cref="InferenceContext"/>, never in fields. On a synchronous call (<see cref="InferenceContext.IsSynchronous"/>)
/// the returned task must be complete: block on waits instead of awaiting them.
/// </remarks>
public abstract class InferenceHandler<TInput, TResult>
{
    /// <summary>Initializes a new instance of the <see cref="InferenceHandler{TInput, TResult}"/> class.</summary>
    protected InferenceHandler()
    {
    }

    /// <summary>Runs this link (and, for a decorator, the rest of the pipeline) for one call.</summary>
    /// <param name="input">The model's input.</param>
    /// <param name="context">The call's context.</param>
    /// <returns>The model's result, or what the decorator answers instead.</returns>
    public abstract ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context);

    /// <summary>
    /// Runs this link with another cancellation token, for a decorator that bounds or repeats the rest of the pipeline
    /// (a timeout, hedging, a Polly pipeline): the link sees a context of its own whose
    /// <see cref="InferenceContext.CancellationToken"/> is <paramref name="cancellationToken"/>, and what it records
    /// (attempts, cache result, outcome) is recorded on <paramref name="context"/>. Concurrent runs each get their own.
    /// </summary>
    /// <param name="input">The model's input.</param>
    /// <param name="context">The context of the call in progress.</param>
    /// <param name="cancellationToken">The token the rest of the pipeline is to see.</param>
    /// <returns>The model's result, or what the link answers instead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return this.InvokeAndReturnContextAsync(input, InferenceContextPool.RentChild(context, cancellationToken));
    }
}
