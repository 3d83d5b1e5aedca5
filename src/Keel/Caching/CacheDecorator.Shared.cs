using System.Buffers;
using Keel.Pipeline;

namespace Keel.Caching;

/// <summary>The shared level (Redis): read on a memory miss, written after the model answers; never fails the call.</summary>
internal sealed partial class CacheDecorator<TInput, TResult>
{
    private async ValueTask<(bool Found, TResult Value)> ReadSharedAsync(byte[] key, InferenceContext context)
    {
        var pending = _distributed!.GetAsync(new DistributedCacheKey(context.ModelName, context.ModelVersion, context.OperationName, key), context.CancellationToken);
        var read = context.IsSynchronous ? pending.GetResultBlocking() : await pending.ConfigureAwait(false);
        switch (read.Status)
        {
            case DistributedCacheStatus.Hit:
                try
                {
                    var value = _serializer!.Deserialize(read.Payload.Span);
                    _telemetry.SharedHits.Increment();
                    return (true, value);
                }
                catch (InvalidDataException exception)
                {
                    Log.SharedEntryUnreadable(_logger, context.ModelName, context.ModelVersion, context.OperationName, typeof(TResult).Name, exception);
                    _telemetry.SharedMisses.Increment();
                    return (false, default!);
                }

            case DistributedCacheStatus.Miss:
                _telemetry.SharedMisses.Increment();
                return (false, default!);
            default:
                _telemetry.SharedUnavailable.Increment();
                return (false, default!);
        }
    }

    private async ValueTask WriteSharedAsync(byte[] key, TResult result, InferenceContext context)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            _serializer!.Serialize(result, buffer);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.ResultNotSerializable(_logger, context.ModelName, context.ModelVersion, context.OperationName, typeof(TResult).Name, exception);
            return;
        }

        // The model has answered: store the entry even if the caller stops waiting now. The level bounds its own time.
        var pending = _distributed!.SetAsync(new DistributedCacheKey(context.ModelName, context.ModelVersion, context.OperationName, key), buffer.WrittenMemory, _timeToLive, CancellationToken.None);
        var stored = context.IsSynchronous ? pending.GetResultBlocking() : await pending.ConfigureAwait(false);
        if (!stored)
        {
            _telemetry.SharedUnavailable.Increment();
        }
    }
}
