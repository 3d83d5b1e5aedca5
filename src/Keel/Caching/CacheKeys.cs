using System.IO.Hashing;

namespace Keel.Caching;

/// <summary>
/// The three things the cache does with a value's canonical bytes, each through <see cref="CacheKeyWriter"/> so that
/// none copies the value on a hit: hash it, compare it with an entry's stored bytes, and copy it for a new entry.
/// </summary>
internal static class CacheKeys
{
    private const int HashScratchLength = 128;

    /// <summary>Returns a 128-bit XxHash of the value's canonical bytes: equal values, equal hashes.</summary>
    public static UInt128 Hash<T>(ValueDescriptor<T> descriptor, T value)
    {
        if (descriptor.TryGetVector(value, out var data, out var code, out var length))
        {
            return XxHash128.HashToUInt128(data, CacheKeyWriter.VectorSeed(code, length));
        }

        Span<byte> scratch = stackalloc byte[HashScratchLength];
        var writer = CacheKeyWriter.ForHash(scratch);
        descriptor.WriteKey(value, ref writer);
        return writer.GetHash();
    }

    /// <summary>Returns whether the value's canonical bytes equal <paramref name="expected"/>.</summary>
    public static bool Matches<T>(ValueDescriptor<T> descriptor, T value, ReadOnlySpan<byte> expected)
    {
        if (descriptor.TryGetVector(value, out var data, out var code, out var length))
        {
            return CacheKeyWriter.IsVectorHeader(expected, code, length)
                && expected[CacheKeyWriter.VectorHeaderLength..].SequenceEqual(data);
        }

        var writer = CacheKeyWriter.ForCompare(expected);
        descriptor.WriteKey(value, ref writer);
        return writer.IsEqual;
    }

    /// <summary>Returns a copy of the value's canonical bytes, to store with an entry.</summary>
    public static byte[] Copy<T>(ValueDescriptor<T> descriptor, T value)
    {
        var measure = CacheKeyWriter.ForMeasure();
        descriptor.WriteKey(value, ref measure);
        var bytes = GC.AllocateUninitializedArray<byte>(measure.Length);
        var copy = CacheKeyWriter.ForCopy(bytes);
        descriptor.WriteKey(value, ref copy);
        if (copy.Length != bytes.Length)
        {
            throw new InvalidOperationException($"{descriptor.GetType()} wrote {bytes.Length} key bytes the first time and {copy.Length} the second: a descriptor must write the same bytes for the same value.");
        }

        return bytes;
    }
}
