using Keel.Pipeline;

namespace Keel.Monitoring;

/// <summary>Left on a builder by <c>UseMonitor</c>: validates the options against the result type and resolves descriptors.</summary>
internal sealed class MonitorDecoratorFactory(MonitorOptions options) : DecoratorFactory
{
    public const string DecoratorName = "Monitor";
    private readonly MonitorOptions _options = options;

    public static bool IsNumericScalar<T>() =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half) || typeof(T) == typeof(decimal)
        || typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte)
        || typeof(T) == typeof(uint) || typeof(T) == typeof(ulong) || typeof(T) == typeof(ushort) || typeof(T) == typeof(byte);

    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var before = errors.Count;
        MonitorOptionsValidator.Validate<TResult>(_options, nameof(MonitorOptions), errors);
        if (errors.Count > before)
        {
            return null;
        }

        var instruments = context.Instruments;
        var settings = new MonitorSettings<TInput, TResult>(
            context.ModelName,
            context.ModelVersion,
            context.OperationName,
            instruments,
            context.TimeProvider,
            context.LoggerFactory.CreateLogger("Keel.Monitoring"),
            _options.RecordSizes ? context.GetInputDescriptor<TInput>() : null,
            _options.RecordSizes ? ValueDescriptor.For<TResult>() : null,
            _options.RecordPredictions ? instruments.GetPredictionHistogram([.. _options.PredictionBuckets]) : null);
        return new Decorator<TInput, TResult>(DecoratorName, next => new MonitorDecorator<TInput, TResult>(next, settings));
    }
}
