using Microsoft.Extensions.Logging;

namespace Keel.Monitoring;

internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "InferenceCompleted", Level = LogLevel.Debug,
        Message = "{ModelName} {ModelVersion} ({OperationName}) answered in {DurationMs} ms: {Outcome}, input {InputShape}, output {OutputShape}, {AttemptCount} attempt(s).")]
    public static partial void InferenceCompleted(ILogger logger, string modelName, string modelVersion, string operationName, double durationMs, string outcome, string inputShape, string outputShape, int attemptCount);

    [LoggerMessage(EventId = 4001, EventName = "InferenceFailed", Level = LogLevel.Warning,
        Message = "{ModelName} {ModelVersion} ({OperationName}) failed with {ErrorType} after {DurationMs} ms and {AttemptCount} attempt(s).")]
    public static partial void InferenceFailed(ILogger logger, string modelName, string modelVersion, string operationName, string errorType, double durationMs, int attemptCount, Exception exception);

    [LoggerMessage(EventId = 4002, EventName = "InferenceRefused", Level = LogLevel.Information,
        Message = "{ModelName} {ModelVersion} ({OperationName}) refused the call: {Outcome} ({ErrorType}: {Reason}).")]
    public static partial void InferenceRefused(ILogger logger, string modelName, string modelVersion, string operationName, string outcome, string errorType, string reason);

    [LoggerMessage(EventId = 4003, EventName = "InferenceCanceled", Level = LogLevel.Information,
        Message = "{ModelName} {ModelVersion} ({OperationName}) was canceled by the caller after {DurationMs} ms.")]
    public static partial void InferenceCanceled(ILogger logger, string modelName, string modelVersion, string operationName, double durationMs);

    [LoggerMessage(EventId = 4004, EventName = "InferenceInput", Level = LogLevel.Trace,
        Message = "{ModelName} {ModelVersion} ({OperationName}) called with {Input}.")]
    public static partial void InferenceInput(ILogger logger, string modelName, string modelVersion, string operationName, string input);
}
