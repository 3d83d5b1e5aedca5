namespace Keel.Validation;

/// <summary>Options of a <see cref="DriftMonitor"/>.</summary>
public sealed class DriftMonitorOptions
{
    /// <summary>Gets or sets how many of the most recent values of each feature the monitor compares with the profile.</summary>
    /// <value>The default value is 1,000.</value>
    public int WindowSize { get; set; } = 1_000;

    /// <summary>Gets or sets how many values a feature needs in its window before its index is computed and reported.</summary>
    /// <value>The default value is 100.</value>
    public int MinimumSamples { get; set; } = 100;

    /// <summary>Gets or sets the index above which a feature's drift is logged as a warning.</summary>
    /// <value>The default value is 0.2 (between the conventional moderate band, 0.1–0.25, and major drift above 0.25).</value>
    public double WarningThreshold { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets after how many observations the monitor recomputes every feature's index, reports it and checks the
    /// warning threshold. Recomputing costs O(features × bins), so the per-call cost stays O(features × log bins).
    /// </summary>
    /// <value>The default value is 100.</value>
    public int EvaluationInterval { get; set; } = 100;
}

/// <summary>The conventional bands of the Population Stability Index.</summary>
public enum DriftSeverity
{
    /// <summary>Below 0.1: the feature's distribution is stable.</summary>
    Stable,

    /// <summary>From 0.1 to 0.25: moderate shift, worth watching.</summary>
    Moderate,

    /// <summary>Above 0.25: major shift; the model sees data unlike its training data.</summary>
    Major,
}
