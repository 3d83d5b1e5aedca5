namespace Keel.Caching;

/// <summary>Serve-stale (FusionCache's fail-safe): when the model fails, an expired entry within <c>MaxStale</c> answers.</summary>
internal sealed partial class CacheDecorator<TInput, TResult>
{
    private bool TryServeStale(Exception exception, InferenceContext context, CacheEntry<TResult>? previous, out TResult value)
    {
        value = default!;
        if (_maxStaleMs < 0 || previous is null
            || (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            return false;
        }

        var staleMs = _clock.NowMilliseconds - previous.ExpiresAtMilliseconds;
        if (staleMs > _maxStaleMs)
        {
            return false;
        }

        value = previous.Value;
        _telemetry.MemoryStale.Increment();
        Log.StaleResultServed(_logger, context.ModelName, context.ModelVersion, context.OperationName, exception.GetType().Name, Math.Max(0, staleMs), _maxStaleMs, exception);
        return true;
    }
}
