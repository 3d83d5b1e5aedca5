using Keel.Pipeline;

namespace Keel;

/// <summary>
/// A model call wrapped in Keel's decorators, built once by <see cref="InferencePipelineBuilder{TInput, TResult}"/>
/// and then shared: it is immutable and safe to call from any number of threads at once.
/// </summary>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
public sealed class InferencePipeline<TInput, TResult>
{
    private readonly PipelineIdentity _identity;
    private readonly InferenceHandler<TInput, TResult> _handler;

    internal InferencePipeline(PipelineIdentity identity, InferenceHandler<TInput, TResult> handler, IReadOnlyList<string> decorators)
    {
        _identity = identity;
        _handler = handler;
        Decorators = decorators;
    }

    /// <summary>Gets the name of the model this pipeline calls.</summary>
    public string ModelName => _identity.ModelName;

    /// <summary>Gets the version of the model this pipeline calls.</summary>
    public string ModelVersion => _identity.ModelVersion;

    /// <summary>Gets the name of the operation, for example <c>predict</c>.</summary>
    public string OperationName => _identity.OperationName;

    /// <summary>
    /// Gets the names of the decorators in the pipeline, outermost first. A decorator whose options make it do nothing
    /// (for example a retry with one attempt) is left out.
    /// </summary>
    public IReadOnlyList<string> Decorators { get; }

    /// <summary>Calls the model through every decorator of the pipeline.</summary>
    /// <param name="input">The model's input.</param>
    /// <param name="cancellationToken">Cancels the call, including any wait between attempts.</param>
    /// <returns>The model's result.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InputValidationException">The input was rejected by input validation.</exception>
    /// <exception cref="MemoryPressureException">The call was refused because memory is under pressure.</exception>
    /// <remarks>Any other exception is the model's own, rethrown unchanged once retries are exhausted or not allowed.</remarks>
    public ValueTask<TResult> ExecuteAsync(TInput input, CancellationToken cancellationToken = default) =>
        _handler.InvokeAndReturnContextAsync(input, InferenceContextPool.Rent(_identity, state: null, cancellationToken, isSynchronous: false));

    /// <summary>
    /// Calls the model through every decorator of the pipeline and blocks until it completes. Waits between attempts
    /// block the calling thread instead of yielding it; prefer <see cref="ExecuteAsync"/> wherever the caller can await.
    /// </summary>
    /// <inheritdoc cref="ExecuteAsync" path="/param"/>
    /// <inheritdoc cref="ExecuteAsync" path="/returns"/>
    /// <inheritdoc cref="ExecuteAsync" path="/exception"/>
    public TResult Execute(TInput input, CancellationToken cancellationToken = default) =>
        _handler.InvokeBlocking(input, InferenceContextPool.Rent(_identity, state: null, cancellationToken, isSynchronous: true));
}

/// <summary>
/// A model call that takes per-call state (the instance whose method it is, a session), wrapped in Keel's decorators:
/// built once by <see cref="InferencePipelineBuilder{TInput, TResult}.Build{TState}(Func{TState, TInput, CancellationToken, ValueTask{TResult}})"/>
/// and shared by every instance, so every instance uses one cache and one retry budget, and a call allocates nothing.
/// It is immutable and safe to call from any number of threads at once.
/// </summary>
/// <typeparam name="TState">The state each call passes to the model.</typeparam>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
public sealed class InferencePipeline<TState, TInput, TResult>
    where TState : class
{
    private readonly PipelineIdentity _identity;
    private readonly InferenceHandler<TInput, TResult> _handler;

    internal InferencePipeline(PipelineIdentity identity, InferenceHandler<TInput, TResult> handler, IReadOnlyList<string> decorators)
    {
        _identity = identity;
        _handler = handler;
        Decorators = decorators;
    }

    /// <inheritdoc cref="InferencePipeline{TInput, TResult}.ModelName"/>
    public string ModelName => _identity.ModelName;

    /// <inheritdoc cref="InferencePipeline{TInput, TResult}.ModelVersion"/>
    public string ModelVersion => _identity.ModelVersion;

    /// <inheritdoc cref="InferencePipeline{TInput, TResult}.OperationName"/>
    public string OperationName => _identity.OperationName;

    /// <inheritdoc cref="InferencePipeline{TInput, TResult}.Decorators"/>
    public IReadOnlyList<string> Decorators { get; }

    /// <summary>Calls the model with <paramref name="state"/> through every decorator of the pipeline.</summary>
    /// <param name="state">The state the model is called with, for example <c>this</c>; decorators never see it.</param>
    /// <param name="input">The model's input.</param>
    /// <param name="cancellationToken">Cancels the call, including any wait between attempts.</param>
    /// <returns>The model's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InputValidationException">The input was rejected by input validation.</exception>
    /// <exception cref="MemoryPressureException">The call was refused because memory is under pressure.</exception>
    /// <remarks>Any other exception is the model's own, rethrown unchanged once retries are exhausted or not allowed.</remarks>
    public ValueTask<TResult> ExecuteAsync(TState state, TInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return _handler.InvokeAndReturnContextAsync(input, InferenceContextPool.Rent(_identity, state, cancellationToken, isSynchronous: false));
    }

    /// <summary>Calls the model with <paramref name="state"/> through every decorator of the pipeline and blocks until it completes.</summary>
    /// <inheritdoc cref="ExecuteAsync" path="/param"/>
    /// <inheritdoc cref="ExecuteAsync" path="/returns"/>
    /// <inheritdoc cref="ExecuteAsync" path="/exception"/>
    public TResult Execute(TState state, TInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return _handler.InvokeBlocking(input, InferenceContextPool.Rent(_identity, state, cancellationToken, isSynchronous: true));
    }
}
