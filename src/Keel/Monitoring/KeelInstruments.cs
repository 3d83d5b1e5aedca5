using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Keel.Caching;

namespace Keel.Monitoring;

/// <summary>
/// Keel's meter, activity source and instruments, shared by every decorator of every pipeline of a container (or, for
/// standalone pipelines, of the process). Each <c>Record…</c> method checks <see cref="Instrument.Enabled"/> first and
/// builds its tags on the stack, so a call that nobody listens to costs one field read and allocates nothing.
/// </summary>
internal sealed class KeelInstruments
{
    /// <summary>Bucket advice for durations, in seconds: from a sub-millisecond cache hit to a 10-second model.</summary>
    public static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Bucket advice for sizes, in elements: powers of 4 from a scalar to a 16-million-element tensor.</summary>
    public static readonly long[] SizeBuckets =
        [1, 4, 16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

    /// <summary>The source of Keel's spans; an <see cref="ActivitySource"/> has no factory, so there is one per process.</summary>
    public static readonly ActivitySource ActivitySource = new(KeelDiagnostics.ActivitySourceName, Version);

    private static readonly Lazy<KeelInstruments> s_shared = new(static () => new KeelInstruments(new Meter(KeelDiagnostics.MeterName, Version)));

    private readonly ConcurrentDictionary<string, Histogram<double>> _predictions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, string Version, string Operation), CacheTelemetry> _cacheTelemetry = new();

    private KeelInstruments(Meter meter)
    {
        Meter = meter;
        Duration = meter.CreateHistogram(
            KeelDiagnostics.InferenceDuration,
            unit: "s",
            description: "Duration of calls through a Keel pipeline, by model, version, operation and outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        InputSize = meter.CreateHistogram(
            KeelDiagnostics.InputSize,
            unit: "{element}",
            description: "Size of model inputs, in elements.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        OutputSize = meter.CreateHistogram(
            KeelDiagnostics.OutputSize,
            unit: "{element}",
            description: "Size of model results, in elements.",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        CacheLookups = meter.CreateObservableCounter(
            KeelDiagnostics.CacheLookups, ObserveCacheLookups, unit: "{lookup}", description: "Cache lookups, by result and cache level.");
        RetryAttempts = meter.CreateCounter<long>(
            KeelDiagnostics.RetryAttempts, unit: "{retry}", description: "Retries made: attempts after the first, by retry profile.");
        RetryBudgetExhausted = meter.CreateCounter<long>(
            KeelDiagnostics.RetryBudgetExhausted, unit: "{failure}", description: "Failures not retried because the retry profile's budget was spent.");
        ValidationViolations = meter.CreateCounter<long>(
            KeelDiagnostics.ValidationViolations, unit: "{violation}", description: "Input validation violations, by rule and action.");
        InputDrift = meter.CreateGauge<double>(
            KeelDiagnostics.InputDrift, unit: "1", description: "Population Stability Index of each input feature against its baseline.");
        MemoryLoad = meter.CreateGauge<double>(
            KeelDiagnostics.MemoryLoad, unit: "1", description: "Memory load of the process as the memory guard sees it, from 0 to 1.");
        MemoryRejections = meter.CreateCounter<long>(
            KeelDiagnostics.MemoryRejections, unit: "{call}", description: "Calls refused by the memory guard.");
    }

    /// <summary>Gets the instruments of standalone pipelines (<see cref="InferencePipeline.For{TInput, TResult}"/>), on one static meter.</summary>
    public static KeelInstruments Shared => s_shared.Value;

    public Meter Meter { get; }

    public Histogram<double> Duration { get; }

    public Histogram<long> InputSize { get; }

    public Histogram<long> OutputSize { get; }

    public ObservableCounter<long> CacheLookups { get; }

    public Counter<long> RetryAttempts { get; }

    public Counter<long> RetryBudgetExhausted { get; }

    public Counter<long> ValidationViolations { get; }

    public Gauge<double> InputDrift { get; }

    public Gauge<double> MemoryLoad { get; }

    public Counter<long> MemoryRejections { get; }

    private static string? Version => typeof(KeelInstruments).Assembly.GetName().Version?.ToString();

    /// <summary>
    /// Returns the instruments of a container: on a meter created by its <see cref="IMeterFactory"/> (so that the
    /// container owns and disposes it, and tests can listen to one container alone), or the shared ones when the
    /// container has no meter factory.
    /// </summary>
    public static KeelInstruments Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared : new KeelInstruments(meterFactory.Create(new MeterOptions(KeelDiagnostics.MeterName) { Version = Version }));

    /// <summary>
    /// Returns the prediction histogram with the given bucket boundaries. A metric name has one bucket layout in
    /// OpenTelemetry, so pipelines should share boundaries; distinct sets get distinct instruments of the same name.
    /// </summary>
    public Histogram<double> GetPredictionHistogram(double[] buckets) =>
        _predictions.GetOrAdd(
            string.Join(',', buckets.Select(static b => b.ToString("R", CultureInfo.InvariantCulture))),
            static (_, state) => state.Meter.CreateHistogram(
                KeelDiagnostics.Prediction,
                unit: null,
                description: "Scalar predictions, to watch the distribution of a model's output.",
                tags: null,
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = state.Buckets }),
            (Meter, Buckets: (double[])buckets.Clone()));

    /// <summary>
    /// Returns the cache counts of a model, version and operation: pipelines that share them share one instance, so the
    /// observable counter reports one series per combination however many pipelines there are.
    /// </summary>
    public CacheTelemetry CreateCacheTelemetry(PipelineIdentity identity) =>
        _cacheTelemetry.GetOrAdd((identity.ModelName, identity.ModelVersion, identity.OperationName), static (_, state) => new CacheTelemetry(state.Identity, state.Lookups), (Identity: identity, Lookups: (Instrument)CacheLookups));

    /// <summary>Counts one retry (an attempt after the first) of a retry profile.</summary>
    public void RecordRetryAttempt(string modelName, string modelVersion, string operationName, string profile)
    {
        if (!RetryAttempts.Enabled)
        {
            return;
        }

        var tags = CallTags(modelName, modelVersion, operationName);
        tags.Add(KeelTags.RetryProfile, profile);
        RetryAttempts.Add(1, in tags);
    }

    /// <summary>Counts one failure that was not retried because the retry profile's budget was spent.</summary>
    public void RecordRetryBudgetExhausted(string modelName, string modelVersion, string operationName, string profile)
    {
        if (!RetryBudgetExhausted.Enabled)
        {
            return;
        }

        var tags = CallTags(modelName, modelVersion, operationName);
        tags.Add(KeelTags.RetryProfile, profile);
        RetryBudgetExhausted.Add(1, in tags);
    }

    /// <summary>Counts one validation violation. <paramref name="rule"/> names the rule; <paramref name="action"/> is block, warn or observe.</summary>
    public void RecordValidationViolation(string modelName, string modelVersion, string operationName, string rule, string action)
    {
        if (!ValidationViolations.Enabled)
        {
            return;
        }

        var tags = CallTags(modelName, modelVersion, operationName);
        tags.Add(KeelTags.ValidationRule, rule);
        tags.Add(KeelTags.ValidationAction, action);
        ValidationViolations.Add(1, in tags);
    }

    /// <summary>Sets the drift (Population Stability Index) of one input feature of a model.</summary>
    public void RecordInputDrift(string modelName, string modelVersion, string feature, double psi)
    {
        if (!InputDrift.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { KeelTags.Model, modelName },
            { KeelTags.ModelVersion, modelVersion },
            { KeelTags.Feature, feature },
        };
        InputDrift.Record(psi, in tags);
    }

    /// <summary>
    /// Sets the process's memory load. It describes the process, not a model, so it carries no model tags: every
    /// pipeline of the process shares the same memory.
    /// </summary>
    public void RecordMemoryLoad(double load)
    {
        if (MemoryLoad.Enabled)
        {
            MemoryLoad.Record(load);
        }
    }

    /// <summary>Counts one call refused by the memory guard; <paramref name="action"/> is collect_then_reject, wait or reject.</summary>
    public void RecordMemoryRejection(string modelName, string modelVersion, string operationName, string action)
    {
        if (!MemoryRejections.Enabled)
        {
            return;
        }

        var tags = CallTags(modelName, modelVersion, operationName);
        tags.Add(KeelTags.MemoryAction, action);
        MemoryRejections.Add(1, in tags);
    }

    private static TagList CallTags(string modelName, string modelVersion, string operationName) => new()
    {
        { KeelTags.Model, modelName },
        { KeelTags.ModelVersion, modelVersion },
        { KeelTags.Operation, operationName },
    };

    private IEnumerable<Measurement<long>> ObserveCacheLookups()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (_, telemetry) in _cacheTelemetry)
        {
            telemetry.Observe(measurements);
        }

        return measurements;
    }
}
