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
    CacheTelemetry Telemetry,
    ILogger Logger);
