using Keel.Profiles;
using Microsoft.Extensions.Configuration;

namespace Keel.Monitoring;

/// <summary>The defaults of <see cref="MonitorOptions"/> and <see cref="MonitorAttribute"/>, in one place.</summary>
internal static class MonitorDefaults
{
    public const string ProfileName = "Default";
    public const bool RecordSizes = false;
    public const bool RecordPredictions = false;
    public const int MaxPredictionBuckets = 50;

    /// <summary>Boundaries for a probability or score in [0, 1], in steps of 0.1.</summary>
    public static readonly double[] PredictionBuckets = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    /// <summary>The monitor's profiles: <c>Keel:Monitor:{profile}</c>.</summary>
    public static readonly ProfileKind<MonitorOptions> Profile = new(
        "Monitor",
        ["RecordSizes", "RecordPredictions", "PredictionBuckets:*"],
        static (section, options) => section.Bind(options),
        MonitorOptionsValidator.Validate);
}
