using Keel.Caching;
using Keel.Monitoring;
using Microsoft.Extensions.Logging;

namespace Keel.Pipeline;

/// <summary>
/// What a <c>Use…</c> call leaves on a builder: it resolves and validates its options when the pipeline is built,
/// and then yields the decorator, or nothing when the decorator would do nothing.
/// </summary>
internal abstract class DecoratorFactory
{
    /// <summary>
    /// Resolves options for a pipeline of the given input and result types and returns the decorator to add, or
    /// <see langword="null"/> when it would do nothing or cannot be built; in the latter case every problem is added
    /// to <paramref name="errors"/>. Decorators that look inside the input (cache, validation, monitor) resolve its
    /// value descriptor here, once, and refuse a type they cannot describe.
    /// </summary>
    public abstract IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors);
}

/// <summary>A decorator whose options are resolved and validated, ready to wrap the next link of a pipeline.</summary>
internal interface IDecorator<TInput, TResult>
{
    /// <summary>Gets the decorator's name as listed by <see cref="InferencePipeline{TInput, TResult}.Decorators"/>.</summary>
    string Name { get; }

    InferenceHandler<TInput, TResult> Wrap(InferenceHandler<TInput, TResult> next);
}

/// <summary>A decorator that is a name and a function from the next link to the new one.</summary>
internal sealed class Decorator<TInput, TResult>(string name, Func<InferenceHandler<TInput, TResult>, InferenceHandler<TInput, TResult>> wrap)
    : IDecorator<TInput, TResult>
{
    public string Name { get; } = name;

    public InferenceHandler<TInput, TResult> Wrap(InferenceHandler<TInput, TResult> next) => wrap(next);
}

/// <summary>What a decorator factory may use while a pipeline is built.</summary>
internal sealed class PipelineBuildContext(string modelName, string modelVersion, string operationName, TimeProvider timeProvider, ILoggerFactory loggerFactory, KeelEnvironment environment)
{
    private object? _inputDescriptor;
    private object? _resultSerializer;

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    public string OperationName { get; } = operationName;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    public KeelEnvironment Environment { get; } = environment;

    /// <summary>Gets the instruments every decorator records through (durations, cache lookups, retries…).</summary>
    public KeelInstruments Instruments => Environment.Instruments;

    /// <summary>Returns the input's descriptor: the one given to the builder, else Keel's own, else <see langword="null"/>.</summary>
    public ValueDescriptor<TInput>? GetInputDescriptor<TInput>() => (ValueDescriptor<TInput>?)_inputDescriptor ?? ValueDescriptor.For<TInput>();

    /// <summary>Returns the result's serializer: the one given to the builder, else Keel's own, else <see langword="null"/>.</summary>
    public IResultSerializer<TResult>? GetResultSerializer<TResult>() => (IResultSerializer<TResult>?)_resultSerializer ?? ResultSerializer.For<TResult>();

    public PipelineBuildContext WithInputDescriptor(object? descriptor)
    {
        _inputDescriptor = descriptor;
        return this;
    }

    public PipelineBuildContext WithResultSerializer(object? serializer)
    {
        _resultSerializer = serializer;
        return this;
    }
}
