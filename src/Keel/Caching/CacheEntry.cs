namespace Keel.Caching;

/// <summary>A cached result with the input bytes it answers (to verify every hit) and when it expires.</summary>
internal sealed class CacheEntry<TResult>(byte[] key, TResult value, long expiresAtMilliseconds)
{
    public byte[] Key { get; } = key;

    public TResult Value { get; } = value;

    public long ExpiresAtMilliseconds { get; } = expiresAtMilliseconds;
}
