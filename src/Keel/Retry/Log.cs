using Microsoft.Extensions.Logging;

namespace Keel.Retry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "RetryScheduled", Level = LogLevel.Warning,
        Message = "Attempt {AttemptNumber} of {ModelName} {ModelVersion} ({OperationName}) failed with {ErrorType}; retrying in {DelayMs} ms (retry profile '{Profile}').")]
    public static partial void RetryScheduled(ILogger logger, string modelName, string modelVersion, string operationName, string profile, int attemptNumber, double delayMs, string errorType, Exception exception);

    [LoggerMessage(EventId = 1001, EventName = "RetriesExhausted", Level = LogLevel.Debug,
        Message = "{ModelName} {ModelVersion} ({OperationName}) failed on attempt {AttemptNumber}, the last one allowed by retry profile '{Profile}'.")]
    public static partial void RetriesExhausted(ILogger logger, string modelName, string modelVersion, string operationName, string profile, int attemptNumber);

    [LoggerMessage(EventId = 1002, EventName = "RetryBudgetExhausted", Level = LogLevel.Warning,
        Message = "Not retrying {ModelName} {ModelVersion} ({OperationName}): the retry budget of profile '{Profile}' is spent ({Tokens} tokens left); too many calls are failing.")]
    public static partial void RetryBudgetExhausted(ILogger logger, string modelName, string modelVersion, string operationName, string profile, double tokens);

    [LoggerMessage(EventId = 1003, EventName = "RetryTotalDurationReached", Level = LogLevel.Debug,
        Message = "Not retrying {ModelName} {ModelVersion} ({OperationName}) after attempt {AttemptNumber}: the next wait would pass MaxTotalDuration of retry profile '{Profile}'.")]
    public static partial void RetryTotalDurationReached(ILogger logger, string modelName, string modelVersion, string operationName, string profile, int attemptNumber);
}
