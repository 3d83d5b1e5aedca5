using System.Collections.Concurrent;
using Keel.Caching;

namespace Keel.Tests.Caching;

/// <summary>
/// An in-process shared level for the decorator's own logic (what it asks, when it fills, how it treats an unavailable
/// level). The real one, over a real Redis server, is tested in Keel.Redis.Tests.
/// </summary>
internal sealed class FakeDistributedLevel : IDistributedCacheLevel
{
    private readonly ConcurrentDictionary<string, byte[]> _entries = new();

    public bool Available { get; set; } = true;

    public int Gets;

    public int Sets;

    public TimeSpan? LastTimeToLive { get; private set; }

    public int Count => _entries.Count;

    public ValueTask<DistributedCacheRead> GetAsync(DistributedCacheKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Gets);
        if (!Available)
        {
            return new(DistributedCacheRead.Unavailable);
        }

        return new(_entries.TryGetValue(Key(key), out var payload) ? DistributedCacheRead.Hit(payload) : DistributedCacheRead.Miss);
    }

    public ValueTask<bool> SetAsync(DistributedCacheKey key, ReadOnlyMemory<byte> payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Sets);
        if (!Available)
        {
            return new(false);
        }

        LastTimeToLive = timeToLive;
        _entries[Key(key)] = payload.ToArray();
        return new(true);
    }

    public ValueTask InvalidateAsync(string modelName, string? modelVersion, CancellationToken cancellationToken)
    {
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(modelVersion is null ? $"{modelName}/" : $"{modelName}/{modelVersion}/", StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }

        return ValueTask.CompletedTask;
    }

    public void Corrupt() => Overwrite([0xFF]);

    /// <summary>Replaces every entry's payload with <paramref name="payload"/>.</summary>
    public void Overwrite(byte[] payload)
    {
        foreach (var key in _entries.Keys)
        {
            _entries[key] = payload;
        }
    }

    private static string Key(DistributedCacheKey key) =>
        $"{key.ModelName}/{key.ModelVersion}/{key.OperationName}/{Convert.ToHexString(key.InputKey.Span)}";
}
