using System.Diagnostics.Metrics;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Pipeline;
using Microsoft.Extensions.Logging;

namespace Keel;

/// <summary>
/// What a decorator may use while its pipeline is built (<see cref="InferencePipelineBuilder{TInput, TResult}.Use"/>):
/// the model's identity, the clock, logging and metrics, the container when there is one, the descriptors of the input
/// and result, and a place to report misconfiguration. Every problem reported with <see cref="AddError"/> ends up in the
/// one <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> that <c>Build</c> throws.
/// </summary>
/// <typeparam name="TInput">The model's input.</typeparam>
/// <typeparam name="TResult">The model's result.</typeparam>
public sealed class InferenceBuildContext<TInput, TResult>
{
    private readonly List<string> _errors;

    internal InferenceBuildContext(
        PipelineIdentity identity,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        KeelEnvironment environment,
        ValueDescriptor<TInput>? inputDescriptor,
        IResultSerializer<TResult>? resultSerializer,
        List<string> errors)
    {
        Identity = identity;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Environment = environment;
        InputDescriptor = inputDescriptor;
        ResultDescriptor = ValueDescriptor.For<TResult>();
        ResultSerializer = resultSerializer;
        _errors = errors;
    }

    /// <summary>Gets the name of the model, for example <c>fraud</c>.</summary>
    public string ModelName => Identity.ModelName;

    /// <summary>Gets the version of the model, for example <c>3.2.0</c>.</summary>
    public string ModelVersion => Identity.ModelVersion;

    /// <summary>Gets the name of the operation, for example <c>predict</c>.</summary>
    public string OperationName => Identity.OperationName;

    /// <summary>Gets the clock to wait and measure with: the builder's, else the container's, else the system clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets where to log: the builder's logger factory, else the container's, else one that logs nothing.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Gets Keel's meter (named <c>Keel</c>): the container's, created through its <see cref="IMeterFactory"/>, or one
    /// shared by standalone pipelines. Create a decorator's instruments on it once, here, not per call.
    /// </summary>
    public Meter Meter => Environment.Instruments.Meter;

    /// <summary>Gets the container the builder came from, or <see langword="null"/> for <see cref="InferencePipeline.For{TInput, TResult}"/>.</summary>
    public IServiceProvider? Services => Environment.Services;

    /// <summary>
    /// Gets how the input is described (sizes, shapes, cache-key bytes): the descriptor given to the builder, else
    /// Keel's own for the type (<see cref="ValueDescriptor.For{T}"/>), else <see langword="null"/>. A decorator that
    /// needs one and finds none reports it with <see cref="AddError"/>, saying what to supply.
    /// </summary>
    public ValueDescriptor<TInput>? InputDescriptor { get; }

    /// <summary>Gets Keel's descriptor of the result type, or <see langword="null"/> when Keel cannot describe it.</summary>
    public ValueDescriptor<TResult>? ResultDescriptor { get; }

    /// <summary>Gets how results are stored in a shared cache level: the builder's serializer, else Keel's own for the type, else <see langword="null"/>.</summary>
    public IResultSerializer<TResult>? ResultSerializer { get; }

    internal PipelineIdentity Identity { get; }

    internal KeelEnvironment Environment { get; }

    internal KeelInstruments Instruments => Environment.Instruments;

    internal List<string> Errors => _errors;

    /// <summary>
    /// Reports a problem with the decorator's options or with what it was given; <c>Build</c> throws once every
    /// decorator has been built, listing every problem. Name the option, what it must be and what it was.
    /// </summary>
    /// <param name="message">The problem, for example <c>MyDecorator:Limit must be at least 1, but was 0.</c></param>
    /// <exception cref="ArgumentException"><paramref name="message"/> is <see langword="null"/>, empty or white space.</exception>
    public void AddError(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _errors.Add(message);
    }
}
