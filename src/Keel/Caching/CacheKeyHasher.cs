namespace Keel.Caching;

/// <summary>
/// How the cache turns a value's canonical bytes into the 128-bit hash it looks entries up by. A struct type argument
/// of the decorator, so the call is resolved when the code is compiled and costs nothing extra; tests substitute a
/// hasher that makes every hash collide, to prove that a collision never returns another input's result.
/// </summary>
internal interface ICacheKeyHasher
{
    UInt128 Hash<T>(ValueDescriptor<T> descriptor, T value);
}

/// <summary>The production hasher: XxHash128 of the canonical bytes (<see cref="CacheKeys.Hash{T}"/>).</summary>
internal readonly struct XxHashKeyHasher : ICacheKeyHasher
{
    public UInt128 Hash<T>(ValueDescriptor<T> descriptor, T value) => CacheKeys.Hash(descriptor, value);
}
