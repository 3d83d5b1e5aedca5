using Microsoft.Extensions.Logging;

namespace Keel.Redis;

internal static partial class Log
{
    [LoggerMessage(EventId = 6000, EventName = "RedisUnavailable", Level = LogLevel.Warning,
        Message = "Redis did not answer ({Reason}); the result cache skips it for {BreakDurationMs} ms and calls go on to the model, then it is tried again.")]
    public static partial void RedisUnavailable(ILogger logger, string reason, long breakDurationMs, Exception? exception);

    [LoggerMessage(EventId = 6001, EventName = "RedisRecovered", Level = LogLevel.Information,
        Message = "Redis answers again after {DownMs} ms; the result cache uses it again.")]
    public static partial void RedisRecovered(ILogger logger, long downMs);

    [LoggerMessage(EventId = 6002, EventName = "RedisStillUnavailable", Level = LogLevel.Debug,
        Message = "Redis still does not answer ({Reason}); skipping it for another {BreakDurationMs} ms.")]
    public static partial void RedisStillUnavailable(ILogger logger, string reason, long breakDurationMs, Exception? exception);

    [LoggerMessage(EventId = 6003, EventName = "PayloadTooLarge", Level = LogLevel.Debug,
        Message = "A result of {ModelName} {ModelVersion} ({OperationName}) is {PayloadBytes} bytes, over MaxPayloadBytes ({MaxPayloadBytes}); it is not stored in Redis.")]
    public static partial void PayloadTooLarge(ILogger logger, string modelName, string modelVersion, string operationName, int payloadBytes, int maxPayloadBytes);

    [LoggerMessage(EventId = 6004, EventName = "RedisCommandRejected", Level = LogLevel.Debug,
        Message = "Redis rejected a {Command} of the result cache ({ErrorMessage}); the call goes on without it.")]
    public static partial void RedisCommandRejected(ILogger logger, string command, string errorMessage);

    [LoggerMessage(EventId = 6005, EventName = "RedisConnecting", Level = LogLevel.Debug,
        Message = "Connecting to Redis at {EndPoints} for the result cache.")]
    public static partial void RedisConnecting(ILogger logger, string endPoints);

    [LoggerMessage(EventId = 6006, EventName = "RedisInvalidated", Level = LogLevel.Information,
        Message = "Removed {Count} Redis entries of the result cache matching {Pattern}.")]
    public static partial void RedisInvalidated(ILogger logger, long count, string pattern);

    [LoggerMessage(EventId = 6007, EventName = "RedisNotConnectedAtStartup", Level = LogLevel.Warning,
        Message = "Redis at {EndPoints} did not connect within {ConnectTimeoutMs} ms of start-up; the result cache runs from memory only until it connects, which it keeps trying in the background.")]
    public static partial void RedisNotConnectedAtStartup(ILogger logger, string endPoints, long connectTimeoutMs);
}
