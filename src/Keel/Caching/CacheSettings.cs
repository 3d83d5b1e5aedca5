using Microsoft.Extensions.Logging;

namespace Keel.Caching;

/// <summary>Everything a cache decorator needs, resolved and validated when the pipeline is built, copied into the decorator's fields.</summary>
internal sealed record CacheSettings<TInput, TResult>(
    TimeSpan TimeToLive,
    TimeSpan? MaxStale,
    ValueDescriptor<TInput> Descriptor,
    MemoryCacheLevel<TResult> Memory,
    CacheClock Clock,
    IDistributedCacheLevel? Distributed,
    IResultSerializer<TResult>? Serializer,
    ResultCopier<TResult> Copier,
    CacheTelemetry Telemetry,
    ILogger Logger)
{
    /// <summary>
    /// Gets the serializer of shared entries: the pipeline's serializer behind a header naming the payload's kind and
    /// the result type, so an entry of another result type, or one that does not decode, is a miss and never a result.
    /// </summary>
    public IResultSerializer<TResult>? Serializer { get; init; } = TypedResultSerializer<TResult>.Wrap(Serializer);
}
