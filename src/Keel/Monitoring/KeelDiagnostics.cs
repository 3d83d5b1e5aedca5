namespace Keel.Monitoring;

/// <summary>
/// The names of Keel's meter, activity source and instruments: the contract dashboards and alerts are built on. Each
/// instrument's Prometheus name (after OpenTelemetry's Prometheus exporter adds unit and <c>_total</c> suffixes) is
/// listed in <c>docs/decorators/monitor.md</c>.
/// </summary>
public static class KeelDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every Keel instrument belongs to: <c>Keel</c>.</summary>
    public const string MeterName = "Keel";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of Keel's spans: <c>Keel</c>.</summary>
    public const string ActivitySourceName = "Keel";

    /// <summary>Histogram of call durations in seconds, tagged with model, version, operation, outcome and error type.</summary>
    public const string InferenceDuration = "keel.inference.duration";

    /// <summary>Histogram of input sizes in elements.</summary>
    public const string InputSize = "keel.inference.input.size";

    /// <summary>Histogram of result sizes in elements.</summary>
    public const string OutputSize = "keel.inference.output.size";

    /// <summary>Histogram of scalar predictions, recorded when <see cref="MonitorOptions.RecordPredictions"/> is set.</summary>
    public const string Prediction = "keel.inference.prediction";

    /// <summary>Counter of cache lookups, tagged with the result (hit, miss, stale, unavailable) and the level (memory, redis).</summary>
    public const string CacheLookups = "keel.cache.lookups";

    /// <summary>Counter of retries: attempts after the first, tagged with the retry profile.</summary>
    public const string RetryAttempts = "keel.retry.attempts";

    /// <summary>Counter of failures that were not retried because the profile's retry budget was spent.</summary>
    public const string RetryBudgetExhausted = "keel.retry.budget.exhausted";

    /// <summary>Counter of input validation violations, tagged with the rule and the action taken.</summary>
    public const string ValidationViolations = "keel.validation.violations";

    /// <summary>Gauge of the Population Stability Index of each input feature against its baseline.</summary>
    public const string InputDrift = "keel.input.drift";

    /// <summary>Gauge of the process's memory load as the memory guard sees it, from 0 to 1.</summary>
    public const string MemoryLoad = "keel.memory.load";

    /// <summary>Counter of calls the memory guard refused.</summary>
    public const string MemoryRejections = "keel.memory.rejections";
}
