using BitFaster.Caching.Lru;

namespace Keel.Caching;

/// <summary>
/// A pipeline's in-memory level: a bounded, thread-safe LRU from BitFaster.Caching (<see cref="FastConcurrentLru{K, V}"/>,
/// the variant without hit counters) keyed by the 128-bit hash of the input. Expiry is checked by the decorator, so an
/// expired entry stays available for serve-stale until it is evicted or replaced.
/// </summary>
internal sealed class MemoryCacheLevel<TResult>(string modelName, string modelVersion, int maxEntries) : IInvalidatableLevel
{
    private readonly FastConcurrentLru<UInt128, CacheEntry<TResult>> _entries = new(maxEntries);

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    public int Count => _entries.Count;

    public bool TryGet(UInt128 hash, out CacheEntry<TResult> entry) => _entries.TryGet(hash, out entry!);

    public void Set(UInt128 hash, CacheEntry<TResult> entry) => _entries.AddOrUpdate(hash, entry);

    public void Clear() => _entries.Clear();
}

/// <summary>A level that <see cref="CacheInvalidator"/> can clear by model and version.</summary>
internal interface IInvalidatableLevel
{
    string ModelName { get; }

    string ModelVersion { get; }

    void Clear();
}
