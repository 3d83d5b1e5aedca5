namespace Keel.Caching;

/// <summary>
/// A cache level shared by every replica of a service, behind each replica's in-memory level. Keel.Redis provides one
/// (<c>AddRedisCache</c>); the cache decorator asks it after an in-memory miss and fills it after a model call.
/// </summary>
/// <remarks>
/// A shared level is optional and must never fail a call: when it is down or slow, <see cref="GetAsync"/> returns
/// <see cref="DistributedCacheStatus.Unavailable"/> within its timeout and <see cref="SetAsync"/> returns
/// <see langword="false"/>, and the call goes on to the model. Implementations own their timeout and back-off.
/// </remarks>
public interface IDistributedCacheLevel
{
    /// <summary>Reads the payload stored for <paramref name="key"/>.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The payload on a hit; otherwise whether the entry is missing or the level could not answer.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentException">The key's model, version or operation name is empty.</exception>
    ValueTask<DistributedCacheRead> GetAsync(DistributedCacheKey key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="payload"/> for <paramref name="key"/>, to expire after <paramref name="timeToLive"/>.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="payload">The serialized result.</param>
    /// <param name="timeToLive">How long the entry lives.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns><see langword="true"/> if the entry was stored; <see langword="false"/> if the level was unavailable or refused it (too large).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentException">The key's names are empty, or <paramref name="timeToLive"/> is not positive.</exception>
    /// <remarks>
    /// Keel does not reuse <paramref name="payload"/>'s memory, but a level that returns on its timeout while its
    /// client still holds the payload must copy it first (Keel.Redis does).
    /// </remarks>
    ValueTask<bool> SetAsync(DistributedCacheKey key, ReadOnlyMemory<byte> payload, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes every entry of a model, or of one version of it.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="modelVersion">The version to remove, or <see langword="null"/> for every version.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes when the entries are removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The level could not be reached; unlike a lookup, an invalidation that did not happen is reported.</exception>
    ValueTask InvalidateAsync(string modelName, string? modelVersion, CancellationToken cancellationToken);
}

/// <summary>The key of a shared cache entry: the pipeline's identity and the canonical bytes of the input.</summary>
/// <param name="ModelName">The model's name.</param>
/// <param name="ModelVersion">The model's version.</param>
/// <param name="OperationName">The operation's name.</param>
/// <param name="InputKey">The canonical bytes of the input, as written by its <see cref="ValueDescriptor{T}"/>.</param>
/// <remarks>
/// Shared levels must not store <paramref name="InputKey"/> under a plain hash: an attacker who can choose inputs could
/// then craft one whose key collides with another user's entry. Keel.Redis hashes it with a keyed cryptographic hash.
/// </remarks>
public readonly record struct DistributedCacheKey(string ModelName, string ModelVersion, string OperationName, ReadOnlyMemory<byte> InputKey);

/// <summary>Whether a shared cache level had an entry.</summary>
public enum DistributedCacheStatus
{
    /// <summary>The level has no entry for the key.</summary>
    Miss,

    /// <summary>The level returned the entry's payload.</summary>
    Hit,

    /// <summary>The level is down, slow or backing off after failures; the call goes on without it.</summary>
    Unavailable,
}

/// <summary>The answer of <see cref="IDistributedCacheLevel.GetAsync"/>.</summary>
public readonly struct DistributedCacheRead
{
    private DistributedCacheRead(DistributedCacheStatus status, ReadOnlyMemory<byte> payload)
    {
        Status = status;
        Payload = payload;
    }

    /// <summary>Gets the answer for a key the level has no entry for.</summary>
    public static DistributedCacheRead Miss => new(DistributedCacheStatus.Miss, default);

    /// <summary>Gets the answer of a level that could not be asked.</summary>
    public static DistributedCacheRead Unavailable => new(DistributedCacheStatus.Unavailable, default);

    /// <summary>Gets whether the level had an entry.</summary>
    public DistributedCacheStatus Status { get; }

    /// <summary>Gets the entry's payload on a hit; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Creates the answer for a hit.</summary>
    /// <param name="payload">The entry's payload.</param>
    /// <returns>The answer.</returns>
    public static DistributedCacheRead Hit(ReadOnlyMemory<byte> payload) => new(DistributedCacheStatus.Hit, payload);
}
