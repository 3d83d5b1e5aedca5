using Keel.Caching;
using Keel.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel;

/// <summary>
/// Composes decorators around a model call. Each <c>Use…</c> call adds a decorator; the first one added is the
/// outermost. <see cref="Build(Func{TInput, CancellationToken, ValueTask{TResult}})"/> validates every decorator's
/// options at once and returns an immutable pipeline. A builder can build any number of pipelines.
/// </summary>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
public sealed class InferencePipelineBuilder<TInput, TResult>
{
    private readonly List<DecoratorFactory> _decorators = [];
    private readonly KeelEnvironment _environment;
    private TimeProvider? _timeProvider;
    private ILoggerFactory? _loggerFactory;
    private ValueDescriptor<TInput>? _inputDescriptor;
    private IResultSerializer<TResult>? _resultSerializer;

    internal InferencePipelineBuilder(string modelName, string modelVersion, KeelEnvironment environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ModelName = modelName;
        ModelVersion = modelVersion;
        _environment = environment;
    }

    /// <summary>Gets the name of the model the pipeline will call.</summary>
    public string ModelName { get; }

    /// <summary>Gets the version of the model the pipeline will call.</summary>
    public string ModelVersion { get; }

    /// <summary>Gets the operation name.</summary>
    /// <value>The default value is <see cref="InferencePipeline.DefaultOperationName"/> (<c>predict</c>).</value>
    public string OperationName { get; private set; } = InferencePipeline.DefaultOperationName;

    /// <summary>Names the operation, for example <c>score</c> or <c>embed</c>; it appears in telemetry and cache keys.</summary>
    /// <param name="operationName">The operation's name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operationName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="operationName"/> is empty or white space.</exception>
    public InferencePipelineBuilder<TInput, TResult> WithOperation(string operationName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        OperationName = operationName;
        return this;
    }

    /// <summary>
    /// Sets the clock every decorator of the pipeline waits and measures with; tests pass a
    /// <c>FakeTimeProvider</c>.
    /// </summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <remarks>Without this call the pipeline uses the container's <see cref="TimeProvider"/>, or <see cref="TimeProvider.System"/>.</remarks>
    public InferencePipelineBuilder<TInput, TResult> WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Sets where the pipeline's decorators log, for example retries and a spent retry budget.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is <see langword="null"/>.</exception>
    /// <remarks>Without this call the pipeline uses the container's <see cref="ILoggerFactory"/>, or logs nothing.</remarks>
    public InferencePipelineBuilder<TInput, TResult> WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Sets how decorators that look inside the input (cache keys, sizes and shapes in telemetry) describe it. Keel
    /// describes numeric arrays, multi-dimensional arrays, <see cref="Memory{T}"/>, <see cref="ReadOnlyMemory{T}"/>,
    /// <c>Tensor&lt;T&gt;</c>, strings and numeric scalars itself; other inputs, such as a record of features, need
    /// one from <see cref="ValueDescriptor.Create{T}(CacheKeyWriterCallback{T}, Func{T, long}?)"/>.
    /// </summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is <see langword="null"/>.</exception>
    public InferencePipelineBuilder<TInput, TResult> WithInputDescriptor(ValueDescriptor<TInput> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _inputDescriptor = descriptor;
        return this;
    }

    /// <summary>
    /// Sets how the cache stores results in a shared level such as Redis. Keel serializes numeric scalars, numeric
    /// arrays and strings itself; records need one, for example
    /// <c>ResultSerializer.Json(MyJsonContext.Default.FraudScore)</c>.
    /// </summary>
    /// <param name="serializer">The serializer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serializer"/> is <see langword="null"/>.</exception>
    public InferencePipelineBuilder<TInput, TResult> WithResultSerializer(IResultSerializer<TResult> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _resultSerializer = serializer;
        return this;
    }

    /// <summary>Builds the pipeline around an asynchronous model call.</summary>
    /// <param name="model">The model call, for example a method group <c>ScoreCoreAsync</c>.</param>
    /// <returns>The built pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">
    /// The options of one or more decorators are invalid; the exception lists every problem, each naming the option,
    /// what it must be and what it was.
    /// </exception>
    public InferencePipeline<TInput, TResult> Build(Func<TInput, CancellationToken, ValueTask<TResult>> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compose(new AsyncDelegateHandler<TInput, TResult>(model));
    }

    /// <summary>
    /// Builds the pipeline around a synchronous model call. <see cref="InferencePipeline{TInput, TResult}.Execute"/>
    /// then runs entirely on the calling thread.
    /// </summary>
    /// <inheritdoc cref="Build(Func{TInput, CancellationToken, ValueTask{TResult}})" path="/param"/>
    /// <inheritdoc cref="Build(Func{TInput, CancellationToken, ValueTask{TResult}})" path="/returns"/>
    /// <inheritdoc cref="Build(Func{TInput, CancellationToken, ValueTask{TResult}})" path="/exception"/>
    public InferencePipeline<TInput, TResult> Build(Func<TInput, CancellationToken, TResult> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compose(new SyncDelegateHandler<TInput, TResult>(model));
    }

    internal InferencePipelineBuilder<TInput, TResult> Use(DecoratorFactory decorator)
    {
        _decorators.Add(decorator);
        return this;
    }

    private InferencePipeline<TInput, TResult> Compose(InferenceHandler<TInput, TResult> model)
    {
        var context = new PipelineBuildContext(ModelName, ModelVersion, OperationName, _timeProvider ?? _environment.TimeProvider, _loggerFactory ?? _environment.LoggerFactory, _environment)
            .WithInputDescriptor(_inputDescriptor)
            .WithResultSerializer(_resultSerializer);
        var errors = new List<string>();
        var decorators = new List<IDecorator<TInput, TResult>>(_decorators.Count);
        foreach (var factory in _decorators)
        {
            if (factory.Create<TInput, TResult>(context, errors) is { } decorator)
            {
                decorators.Add(decorator);
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException($"{ModelName}/{ModelVersion}", typeof(InferencePipeline<TInput, TResult>), errors);
        }

        var handler = model;
        for (var i = decorators.Count - 1; i >= 0; i--)
        {
            handler = decorators[i].Wrap(handler);
        }

        return new InferencePipeline<TInput, TResult>(ModelName, ModelVersion, OperationName, handler, decorators.ConvertAll(static d => d.Name).AsReadOnly());
    }
}
