using Microsoft.Extensions.Logging;

namespace Keel.Caching;

/// <summary>Everything a cache decorator needs, resolved and validated when the pipeline is built.</summary>
internal sealed record CacheSettings<TInput, TResult>(
    CacheResultOptions Options,
    ValueDescriptor<TInput> Descriptor,
    MemoryCacheLevel<TResult> Memory,
    CacheClock Clock,
    IDistributedCacheLevel? Distributed,
    IResultSerializer<TResult>? Serializer,
    CacheTelemetry Telemetry,
    ILogger Logger)
{
    /// <summary>
    /// Gets the serializer of shared entries: the pipeline's serializer behind a header naming the payload's kind and
    /// the result type, so an entry of another result type, or one that does not decode, is a miss and never a result.
    /// </summary>
    public IResultSerializer<TResult>? Serializer { get; init; } = TypedResultSerializer<TResult>.Wrap(Serializer);

    /// <summary>Gets a function applied to every key hash; tests make all hashes collide with it. Never set in production.</summary>
    public Func<UInt128, UInt128>? HashTransform { get; init; }
}
