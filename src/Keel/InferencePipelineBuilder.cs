using Keel.Caching;
using Keel.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel;

/// <summary>
/// Composes decorators around a model call. Each <c>Use…</c> call adds a decorator; the first one added is the
/// outermost. <see cref="Build(Func{TInput, CancellationToken, ValueTask{TResult}})"/> validates every decorator's
/// options at once and returns an immutable pipeline. A builder can build any number of pipelines; each has its own
/// decorator state (its own cache, for instance), so build once and share the pipeline.
/// </summary>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
public sealed class InferencePipelineBuilder<TInput, TResult>
{
    private readonly List<(string Name, Func<InferenceHandler<TInput, TResult>, InferenceBuildContext<TInput, TResult>, InferenceHandler<TInput, TResult>> Create)> _decorators = [];
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

    /// <summary>
    /// Adds a decorator: Keel's own <c>Use…</c> methods, third-party decorators and generated code all add theirs
    /// this way. The first decorator added is the outermost. <paramref name="decorator"/> is called once, when the
    /// pipeline is built, with the next link (the decorators added after it, then the model) and the build context;
    /// it returns the link that wraps the next one, or the next link itself to add nothing. Problems it reports with
    /// <see cref="InferenceBuildContext{TInput, TResult}.AddError"/> make <c>Build</c> throw, with every other problem.
    /// </summary>
    /// <param name="name">The decorator's name, as <see cref="InferencePipeline{TInput, TResult}.Decorators"/> lists it, for example <c>RateLimit</c>.</param>
    /// <param name="decorator">Creates the decorator's link around the next one.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="decorator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <example>
    /// <code>
    /// builder.Use("Audit", (next, context) => new AuditHandler&lt;float[], float&gt;(next, context.LoggerFactory));
    /// </code>
    /// </example>
    public InferencePipelineBuilder<TInput, TResult> Use(
        string name,
        Func<InferenceHandler<TInput, TResult>, InferenceBuildContext<TInput, TResult>, InferenceHandler<TInput, TResult>> decorator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(decorator);
        _decorators.Add((name, decorator));
        return this;
    }

    /// <summary>Builds the pipeline around an asynchronous model call.</summary>
    /// <param name="model">The model call, for example a method group <c>ScoreCoreAsync</c>.</param>
    /// <returns>The built pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">
    /// The options of one or more decorators are invalid, or a profile is not defined; the exception lists every
    /// problem, each naming the option, what it must be and what it was.
    /// </exception>
    public InferencePipeline<TInput, TResult> Build(Func<TInput, CancellationToken, ValueTask<TResult>> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (handler, identity, names) = Compose(new AsyncDelegateHandler<TInput, TResult>(model));
        return new InferencePipeline<TInput, TResult>(identity, handler, names);
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
        var (handler, identity, names) = Compose(new SyncDelegateHandler<TInput, TResult>(model));
        return new InferencePipeline<TInput, TResult>(identity, handler, names);
    }

    /// <summary>
    /// Builds the pipeline around an asynchronous model call that takes per-call state, such as the instance whose
    /// method it is: one pipeline (one cache, one retry budget) then serves every instance, and a call passes its
    /// instance with <see cref="InferencePipeline{TState, TInput, TResult}.ExecuteAsync"/> instead of capturing it in a
    /// closure, so it allocates nothing.
    /// </summary>
    /// <typeparam name="TState">The state's type, a class (it is passed as a reference, never boxed).</typeparam>
    /// <param name="model">
    /// The model call, best a static lambda so that it captures nothing:
    /// <c>static (model, features, ct) =&gt; model.ScoreCoreAsync(features, ct)</c>.
    /// </param>
    /// <returns>The built pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">
    /// The options of one or more decorators are invalid, or a profile is not defined; the exception lists every problem.
    /// </exception>
    public InferencePipeline<TState, TInput, TResult> Build<TState>(Func<TState, TInput, CancellationToken, ValueTask<TResult>> model)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(model);
        var (handler, identity, names) = Compose(new AsyncStateHandler<TState, TInput, TResult>(model));
        return new InferencePipeline<TState, TInput, TResult>(identity, handler, names);
    }

    /// <summary>Builds the pipeline around a synchronous model call that takes per-call state.</summary>
    /// <typeparam name="TState">The state's type, a class.</typeparam>
    /// <inheritdoc cref="Build{TState}(Func{TState, TInput, CancellationToken, ValueTask{TResult}})" path="/param"/>
    /// <inheritdoc cref="Build{TState}(Func{TState, TInput, CancellationToken, ValueTask{TResult}})" path="/returns"/>
    /// <inheritdoc cref="Build{TState}(Func{TState, TInput, CancellationToken, ValueTask{TResult}})" path="/exception"/>
    public InferencePipeline<TState, TInput, TResult> Build<TState>(Func<TState, TInput, CancellationToken, TResult> model)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(model);
        var (handler, identity, names) = Compose(new SyncStateHandler<TState, TInput, TResult>(model));
        return new InferencePipeline<TState, TInput, TResult>(identity, handler, names);
    }

    private (InferenceHandler<TInput, TResult> Handler, PipelineIdentity Identity, IReadOnlyList<string> Names) Compose(InferenceHandler<TInput, TResult> model)
    {
        var identity = new PipelineIdentity(ModelName, ModelVersion, OperationName);
        var errors = new List<string>();
        var context = new InferenceBuildContext<TInput, TResult>(
            identity,
            _timeProvider ?? _environment.TimeProvider,
            _loggerFactory ?? _environment.LoggerFactory,
            _environment,
            _inputDescriptor ?? ValueDescriptor.For<TInput>(),
            _resultSerializer ?? ResultSerializer.For<TResult>(),
            errors);

        // Innermost first: each decorator wraps the link built before it; one that returns its next link adds nothing.
        // Problems are reported outermost first, in the order the decorators were added.
        var handler = model;
        var names = new List<string>(_decorators.Count);
        var problems = new List<string>[_decorators.Count];
        for (var i = _decorators.Count - 1; i >= 0; i--)
        {
            var (name, decorator) = _decorators[i];
            var wrapped = decorator(handler, context) ?? throw new InvalidOperationException($"Decorator '{name}' returned null; return the next link to add nothing.");
            problems[i] = [.. errors];
            errors.Clear();
            if (!ReferenceEquals(wrapped, handler))
            {
                names.Add(name);
                handler = wrapped;
            }
        }

        if (problems.Any(static p => p.Count > 0))
        {
            throw new OptionsValidationException($"{ModelName}/{ModelVersion}", typeof(InferencePipelineBuilder<TInput, TResult>), [.. problems.SelectMany(static p => p)]);
        }

        names.Reverse();
        return (handler, identity, names.AsReadOnly());
    }
}
