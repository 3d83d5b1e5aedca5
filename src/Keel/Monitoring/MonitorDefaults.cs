namespace Keel.Monitoring;

/// <summary>The defaults of <see cref="MonitorOptions"/> and <see cref="MonitorAttribute"/>, in one place.</summary>
internal static class MonitorDefaults
{
    public const bool RecordSizes = true;
    public const bool RecordPredictions = false;
    public const int MaxPredictionBuckets = 50;

    /// <summary>Boundaries for a probability or score in [0, 1], in steps of 0.1.</summary>
    public static readonly double[] PredictionBuckets = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
}
