using Microsoft.Extensions.Logging;

namespace Keel.Validation;

internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "InputDriftAboveThreshold", Level = LogLevel.Warning,
        Message = "Input feature '{Feature}' has drifted from its training profile: PSI {Psi:F3} is above {Threshold} ({Severity}, over the last {WindowCount} inputs).")]
    public static partial void DriftAboveThreshold(ILogger logger, string feature, double psi, double threshold, DriftSeverity severity, int windowCount);

    [LoggerMessage(EventId = 5001, EventName = "InputDriftBelowThreshold", Level = LogLevel.Information,
        Message = "Input feature '{Feature}' is back within its training profile: PSI {Psi:F3} is at or below {Threshold}.")]
    public static partial void DriftBackBelowThreshold(ILogger logger, string feature, double psi, double threshold);

    [LoggerMessage(EventId = 5002, EventName = "InputAnomalyLetThrough", Level = LogLevel.Warning,
        Message = "{ModelName} {ModelVersion} ({OperationName}) let through an unusual input: {Path} was not {Expected}.")]
    public static partial void AnomalyLetThrough(ILogger logger, string modelName, string modelVersion, string operationName, string path, string expected);

    [LoggerMessage(EventId = 5003, EventName = "InputAnomalyValue", Level = LogLevel.Trace,
        Message = "{ModelName} {ModelVersion} ({OperationName}) unusual input value: {Anomaly}.")]
    public static partial void AnomalyValue(ILogger logger, string modelName, string modelVersion, string operationName, string anomaly);
}
