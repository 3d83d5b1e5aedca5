using Microsoft.Extensions.Logging;

namespace Keel.MemoryGuard;

internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "MemoryPressureRejected", Level = LogLevel.Debug,
        Message = "Refused {ModelName} {ModelVersion} ({OperationName}) under memory pressure: load {MemoryLoad} from {Source} against a maximum of {MaxMemoryLoad}, estimate {EstimatedBytes} bytes (action {Action}).")]
    public static partial void MemoryPressureRejected(ILogger logger, string modelName, string modelVersion, string operationName, double memoryLoad, string source, double maxMemoryLoad, long estimatedBytes, string action);

    [LoggerMessage(EventId = 2001, EventName = "MemoryCollected", Level = LogLevel.Information,
        Message = "The memory guard started a full background garbage collection: load {LoadBefore} before, {LoadAfter} after (source {Source}), {ElapsedMs} ms after it was asked for.")]
    public static partial void MemoryCollected(ILogger logger, double loadBefore, double loadAfter, string source, double elapsedMs);

    [LoggerMessage(EventId = 2002, EventName = "MemorySourceFailed", Level = LogLevel.Debug,
        Message = "The memory source '{Source}' failed to read; the sampler uses the other sources.")]
    public static partial void MemorySourceFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 2003, EventName = "MemoryPressureWaiting", Level = LogLevel.Debug,
        Message = "{ModelName} {ModelVersion} ({OperationName}) waits up to {MaxWaitMs} ms for memory: load {MemoryLoad} against a maximum of {MaxMemoryLoad}.")]
    public static partial void MemoryPressureWaiting(ILogger logger, string modelName, string modelVersion, string operationName, double maxWaitMs, double memoryLoad, double maxMemoryLoad);

    [LoggerMessage(EventId = 2004, EventName = "MemoryCollectionFailed", Level = LogLevel.Warning,
        Message = "The garbage collection the memory guard asked for failed; the guard goes on with a fresh sample.")]
    public static partial void MemoryCollectionFailed(ILogger logger, Exception exception);
}
