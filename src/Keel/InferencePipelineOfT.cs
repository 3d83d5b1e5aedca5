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
    private readonly InferenceHandler<TInput, TResult> _handler;

    internal InferencePipeline(string modelName, string modelVersion, string operationName, InferenceHandler<TInput, TResult> handler, IReadOnlyList<string> decorators)
    {
        ModelName = modelName;
        ModelVersion = modelVersion;
        OperationName = operationName;
        Decorators = decorators;
        _handler = handler;
    }

    /// <summary>Gets the name of the model this pipeline calls.</summary>
    public string ModelName { get; }

    /// <summary>Gets the version of the model this pipeline calls.</summary>
    public string ModelVersion { get; }

    /// <summary>Gets the name of the operation, for example <c>predict</c>.</summary>
    public string OperationName { get; }

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
    public ValueTask<TResult> ExecuteAsync(TInput input, CancellationToken cancellationToken = default)
    {
        var context = InferenceContextPool.Rent(ModelName, ModelVersion, OperationName, cancellationToken, isSynchronous: false);
        return _handler.InvokeAndReturnContextAsync(input, context);
    }

    /// <summary>
    /// Calls the model through every decorator of the pipeline and blocks until it completes. Waits between attempts
    /// block the calling thread instead of yielding it; prefer <see cref="ExecuteAsync"/> wherever the caller can await.
    /// </summary>
    /// <inheritdoc cref="ExecuteAsync" path="/param"/>
    /// <inheritdoc cref="ExecuteAsync" path="/returns"/>
    /// <inheritdoc cref="ExecuteAsync" path="/exception"/>
    public TResult Execute(TInput input, CancellationToken cancellationToken = default)
    {
        var context = InferenceContextPool.Rent(ModelName, ModelVersion, OperationName, cancellationToken, isSynchronous: true);
        try
        {
            return _handler.InvokeAsync(input, context).GetResultBlocking();
        }
        finally
        {
            InferenceContextPool.Return(context);
        }
    }
}
