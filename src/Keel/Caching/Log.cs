using Microsoft.Extensions.Logging;

namespace Keel.Caching;

internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "StaleResultServed", Level = LogLevel.Warning,
        Message = "{ModelName} {ModelVersion} ({OperationName}) failed with {ErrorType}; served a cached result that expired {StaleMs} ms ago (MaxStale allows {MaxStaleMs} ms).")]
    public static partial void StaleResultServed(ILogger logger, string modelName, string modelVersion, string operationName, string errorType, long staleMs, long maxStaleMs, Exception exception);

    [LoggerMessage(EventId = 3001, EventName = "SharedEntryUnreadable", Level = LogLevel.Warning,
        Message = "A shared cache entry of {ModelName} {ModelVersion} ({OperationName}) could not be read as {ResultType}; calling the model instead.")]
    public static partial void SharedEntryUnreadable(ILogger logger, string modelName, string modelVersion, string operationName, string resultType, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "ResultNotSerializable", Level = LogLevel.Warning,
        Message = "A result of {ModelName} {ModelVersion} ({OperationName}) could not be serialized as {ResultType}; it is cached in memory only.")]
    public static partial void ResultNotSerializable(ILogger logger, string modelName, string modelVersion, string operationName, string resultType, Exception exception);

    [LoggerMessage(EventId = 3003, EventName = "KeyHashCollision", Level = LogLevel.Information,
        Message = "Two different inputs of {ModelName} {ModelVersion} ({OperationName}) share a 128-bit key hash; the cache verified the input and called the model.")]
    public static partial void KeyHashCollision(ILogger logger, string modelName, string modelVersion, string operationName);
}
