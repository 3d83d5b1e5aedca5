using System.Collections;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Keel.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Monitoring;

/// <summary>
/// Everything the monitor decorator of one pipeline needs, resolved at build: the instruments, the descriptors, the
/// span name and the tag sets of every outcome but an error (whose error type is only known then), so that a call
/// builds no tag list and allocates nothing.
/// </summary>
internal sealed class MonitorSettings<TInput, TResult>
{
    private const int MaxLoggedElements = 32;

    private readonly KeyValuePair<string, object?>[] _callTags;
    private readonly KeyValuePair<string, object?>[] _successTags;
    private readonly KeyValuePair<string, object?>[] _cacheHitTags;
    private readonly ValueDescriptor<TInput>? _inputDescriptor;
    private readonly ValueDescriptor<TResult>? _outputDescriptor;
    private readonly Histogram<double>? _predictions;
    private readonly string _spanName;
    private readonly bool _hasLogger;
    private readonly bool _recordSizes;

    public MonitorSettings(
        PipelineIdentity identity,
        KeelInstruments instruments,
        TimeProvider timeProvider,
        ILogger logger,
        ValueDescriptor<TInput>? inputDescriptor,
        ValueDescriptor<TResult>? outputDescriptor,
        bool recordSizes,
        Histogram<double>? predictions)
    {
        ModelName = identity.ModelName;
        ModelVersion = identity.ModelVersion;
        OperationName = identity.OperationName;
        Instruments = instruments;
        TimeProvider = timeProvider;
        Logger = logger;
        _inputDescriptor = inputDescriptor;
        _outputDescriptor = outputDescriptor;
        _recordSizes = recordSizes;
        _predictions = predictions;
        _hasLogger = logger is not NullLogger;
        _spanName = $"{OperationName} {ModelName}";
        _callTags = [new(KeelTags.Model, ModelName), new(KeelTags.ModelVersion, ModelVersion), new(KeelTags.Operation, OperationName)];
        _successTags = [.. _callTags, new(KeelTags.Outcome, KeelOutcomes.Success)];
        _cacheHitTags = [.. _callTags, new(KeelTags.Outcome, KeelOutcomes.CacheHit)];
    }

    public string ModelName { get; }

    public string ModelVersion { get; }

    public string OperationName { get; }

    public KeelInstruments Instruments { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>
    /// Gets a value indicating whether anything would see this call: a span listener, a listener of one of the
    /// monitor's instruments, or a logger that prints failures. When nothing would, the call is passed straight on.
    /// </summary>
    public bool IsObserved =>
        KeelInstruments.ActivitySource.HasListeners()
        || Instruments.Duration.Enabled
        || (_recordSizes && (Instruments.InputSize.Enabled || Instruments.OutputSize.Enabled))
        || (_predictions?.Enabled ?? false)
        || (_hasLogger && Logger.IsEnabled(LogLevel.Warning));

    /// <summary>Gets a value indicating whether a call must be timed: a duration listener, or a logger that would print it.</summary>
    public bool NeedsTiming => Instruments.Duration.Enabled || Logger.IsEnabled(LogLevel.Information);

    /// <summary>Starts the call's span, or returns <see langword="null"/> when no listener samples it.</summary>
    public Activity? StartActivity(TInput input)
    {
        var activity = KeelInstruments.ActivitySource.StartActivity(_spanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(KeelTags.Model, ModelName);
            activity.SetTag(KeelTags.ModelVersion, ModelVersion);
            activity.SetTag(KeelTags.Operation, OperationName);
            if (_inputDescriptor is not null)
            {
                activity.SetTag(KeelTags.InputShape, _inputDescriptor.DescribeShape(input));
                activity.SetTag(KeelTags.InputSize, _inputDescriptor.GetElementCount(input));
            }
        }

        return activity;
    }

    /// <summary>Records what is known before the call: the input's size, and its values at Trace level.</summary>
    public void RecordInput(TInput input)
    {
        if (_recordSizes && _inputDescriptor is not null && Instruments.InputSize.Enabled)
        {
            Instruments.InputSize.Record(_inputDescriptor.GetElementCount(input), _callTags);
        }

        if (Logger.IsEnabled(LogLevel.Trace))
        {
            Log.InferenceInput(Logger, ModelName, ModelVersion, OperationName, FormatValues(input));
        }
    }

    public void RecordSuccess(TInput input, TResult result, long started, InferenceContext context, Activity? activity)
    {
        var outcome = context.Outcome ?? KeelOutcomes.Success;
        if (started != 0 && Instruments.Duration.Enabled)
        {
            var seconds = TimeProvider.GetElapsedTime(started).TotalSeconds;
            if (ReferenceEquals(outcome, KeelOutcomes.Success))
            {
                Instruments.Duration.Record(seconds, _successTags);
            }
            else if (ReferenceEquals(outcome, KeelOutcomes.CacheHit))
            {
                Instruments.Duration.Record(seconds, _cacheHitTags);
            }
            else
            {
                var tags = new TagList(_callTags) { { KeelTags.Outcome, outcome } };
                Instruments.Duration.Record(seconds, in tags);
            }
        }

        if (_recordSizes && _outputDescriptor is not null && Instruments.OutputSize.Enabled)
        {
            Instruments.OutputSize.Record(_outputDescriptor.GetElementCount(result), _callTags);
        }

        if (_predictions is not null && _predictions.Enabled)
        {
            _predictions.Record(ToDouble(result), _callTags);
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(KeelTags.Outcome, outcome);
            activity.SetTag(KeelTags.Attempts, context.AttemptNumber);
            if (context.CacheResult != CacheLookupResult.None)
            {
                activity.SetTag(KeelTags.CacheResult, CacheTelemetry.ResultName(context.CacheResult));
            }

            if (_outputDescriptor is not null)
            {
                activity.SetTag(KeelTags.OutputShape, _outputDescriptor.DescribeShape(result));
                activity.SetTag(KeelTags.OutputSize, _outputDescriptor.GetElementCount(result));
            }
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Log.InferenceCompleted(
                Logger,
                ModelName,
                ModelVersion,
                OperationName,
                started == 0 ? 0 : TimeProvider.GetElapsedTime(started).TotalMilliseconds,
                outcome,
                _inputDescriptor?.DescribeShape(input) ?? "unknown",
                _outputDescriptor?.DescribeShape(result) ?? "unknown",
                context.AttemptNumber);
        }
    }

    public void RecordFailure(Exception exception, long started, InferenceContext context, Activity? activity)
    {
        var outcome = exception is InferenceRefusedException refused ? refused.Outcome : KeelOutcomes.Error;
        var errorType = exception.GetType().FullName ?? exception.GetType().Name;
        var elapsed = started == 0 ? TimeSpan.Zero : TimeProvider.GetElapsedTime(started);
        if (started != 0 && Instruments.Duration.Enabled)
        {
            var tags = new TagList(_callTags) { { KeelTags.Outcome, outcome }, { KeelTags.ErrorType, errorType } };
            Instruments.Duration.Record(elapsed.TotalSeconds, in tags);
        }

        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception is InputValidationException invalid ? invalid.Description : exception.Message);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(KeelTags.Outcome, outcome);
                activity.SetTag(KeelTags.ErrorType, errorType);
                activity.SetTag(KeelTags.Attempts, context.AttemptNumber);
                if (context.CacheResult != CacheLookupResult.None)
                {
                    activity.SetTag(KeelTags.CacheResult, CacheTelemetry.ResultName(context.CacheResult));
                }

                if (exception is InputValidationException refusedInput)
                {
                    // The exception event carries no input value either: the message quotes them, the description does not.
                    activity.AddException(exception, new TagList { { "exception.message", refusedInput.Description } });
                }
                else
                {
                    activity.AddException(exception);
                }
            }
        }

        if (!ReferenceEquals(outcome, KeelOutcomes.Error))
        {
            Log.InferenceRefused(Logger, ModelName, ModelVersion, OperationName, outcome, errorType, exception is InputValidationException rejected ? rejected.Description : exception.Message);
        }
        else if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            Log.InferenceCanceled(Logger, ModelName, ModelVersion, OperationName, elapsed.TotalMilliseconds);
        }
        else
        {
            Log.InferenceFailed(Logger, ModelName, ModelVersion, OperationName, errorType, elapsed.TotalMilliseconds, context.AttemptNumber, exception);
        }
    }

    private static double ToDouble(TResult value)
    {
        if (typeof(TResult) == typeof(float))
        {
            return Unsafe.As<TResult, float>(ref value);
        }

        if (typeof(TResult) == typeof(double))
        {
            return Unsafe.As<TResult, double>(ref value);
        }

        if (typeof(TResult) == typeof(Half))
        {
            return (double)Unsafe.As<TResult, Half>(ref value);
        }

        if (typeof(TResult) == typeof(decimal))
        {
            return (double)Unsafe.As<TResult, decimal>(ref value);
        }

        if (typeof(TResult) == typeof(int))
        {
            return Unsafe.As<TResult, int>(ref value);
        }

        if (typeof(TResult) == typeof(long))
        {
            return Unsafe.As<TResult, long>(ref value);
        }

        if (typeof(TResult) == typeof(short))
        {
            return Unsafe.As<TResult, short>(ref value);
        }

        if (typeof(TResult) == typeof(sbyte))
        {
            return Unsafe.As<TResult, sbyte>(ref value);
        }

        if (typeof(TResult) == typeof(uint))
        {
            return Unsafe.As<TResult, uint>(ref value);
        }

        if (typeof(TResult) == typeof(ulong))
        {
            return Unsafe.As<TResult, ulong>(ref value);
        }

        if (typeof(TResult) == typeof(ushort))
        {
            return Unsafe.As<TResult, ushort>(ref value);
        }

        return Unsafe.As<TResult, byte>(ref value);
    }

    /// <summary>The input's values for a Trace log line: a scalar or string as is, a sequence's first elements.</summary>
    private static string FormatValues(TInput input)
    {
        if (input is null)
        {
            return "null";
        }

        if (input is string || input is not IEnumerable sequence)
        {
            return input.ToString() ?? string.Empty;
        }

        var parts = new List<string>();
        var more = false;
        foreach (var item in sequence)
        {
            if (parts.Count == MaxLoggedElements)
            {
                more = true;
                break;
            }

            parts.Add(Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        }

        return $"[{string.Join(", ", parts)}{(more ? ", …" : string.Empty)}]";
    }
}
