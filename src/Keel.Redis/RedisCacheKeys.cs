using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Blake3;
using Keel.Caching;

namespace Keel.Redis;

/// <summary>
/// Names Redis entries <c>keel:{model}:{version}:{hash}</c>, where the hash is a keyed BLAKE3 hash of the entry's whole
/// identity and input, and builds the SCAN patterns that invalidation uses.
/// </summary>
/// <remarks>
/// <para>
/// The hash key is derived from the configured secret with BLAKE3's key-derivation mode (context
/// <see cref="DerivationContext"/>), so a secret of any length gives a uniform 32-byte key and the same secret used
/// elsewhere gives unrelated keys. Without the secret, nobody can compute an entry's name from an input, so nobody can
/// craft an input whose entry collides with another input's.
/// </para>
/// <para>
/// Model and version are escaped (every UTF-8 byte outside <c>[A-Za-z0-9._-]</c> becomes <c>%XX</c>, a lone surrogate
/// <c>%uXXXX</c>), which is injective and
/// leaves no <c>:</c>, <c>{</c>, <c>}</c> or glob character in a name, so one model's pattern never matches another's
/// keys and no Redis Cluster hash tag is formed by accident. The hash also covers model, version and operation, each
/// length-prefixed and as UTF-16 code units (lossless for every string), so two identities can never share an entry
/// even through the escaped prefix.
/// </para>
/// </remarks>
internal sealed class RedisCacheKeys
{
    /// <summary>The BLAKE3 key-derivation context: globally unique, fixed, and versioned with the key format.</summary>
    public const string DerivationContext = "Keel.Redis 2026-12-02 result cache entry key v2";

    public const string Prefix = "keel:";
    public const int HashBytes = 32;
    private const int HexLength = HashBytes * 2;
    private const int MaxCachedPrefixes = 1024;
    private const int StackLimit = 512;
    private const string HexUpper = "0123456789ABCDEF";

    private static readonly SearchValues<char> s_safe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private readonly byte[] _hashKey = new byte[HashBytes];
    private readonly ConcurrentDictionary<(string Model, string Version), string> _prefixes = new();

    public RedisCacheKeys(string secret)
    {
        // UTF-16 code units, not UTF-8: lossless for every string, lone surrogates included.
        var secretBytes = Utf16(secret);
        try
        {
            using var derivation = Hasher.NewDeriveKey(DerivationContext);
            derivation.Update(secretBytes);
            derivation.Finalize(_hashKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
        }
    }

    /// <summary>Returns the Redis key of <paramref name="key"/>.</summary>
    public string Create(in DistributedCacheKey key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        Hash(key, hash);
        Span<char> hex = stackalloc char[HexLength];
        Convert.TryToHexStringLower(hash, hex, out _);
        return string.Concat(PrefixOf(key.ModelName, key.ModelVersion), hex);
    }

    /// <summary>Writes the keyed hash of <paramref name="key"/>'s identity and input into <paramref name="destination"/>.</summary>
    public void Hash(in DistributedCacheKey key, Span<byte> destination)
    {
        var headerLength = (3 * sizeof(int)) + sizeof(long)
            + (sizeof(char) * (key.ModelName.Length + key.ModelVersion.Length + key.OperationName.Length));
        byte[]? rented = null;
        var header = headerLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(headerLength));
        try
        {
            var written = WriteString(header, key.ModelName);
            written += WriteString(header[written..], key.ModelVersion);
            written += WriteString(header[written..], key.OperationName);
            BinaryPrimitives.WriteInt64LittleEndian(header[written..], key.InputKey.Length);
            written += sizeof(long);

            using var hasher = Hasher.NewKeyed(_hashKey);
            hasher.Update(header[..written]);
            hasher.Update(key.InputKey.Span);
            hasher.Finalize(destination[..HashBytes]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the SCAN pattern that matches every entry of a model, or of one version of it.</summary>
    public static string Pattern(string modelName, string? modelVersion) => modelVersion is null
        ? $"{Prefix}{Escape(modelName)}:*"
        : $"{Prefix}{Escape(modelName)}:{Escape(modelVersion)}:*";

    /// <summary>Escapes a model name or version: bytes outside <c>[A-Za-z0-9._-]</c> become <c>%XX</c> (UTF-8, upper-case hex).</summary>
    public static string Escape(string segment)
    {
        var index = segment.AsSpan().IndexOfAnyExcept(s_safe);
        if (index < 0)
        {
            return segment;
        }

        var builder = new StringBuilder(segment.Length + 16);
        builder.Append(segment, 0, index);
        Span<byte> utf8 = stackalloc byte[4];
        var rest = segment.AsSpan(index);
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                // A lone surrogate has no UTF-8 form: %uXXXX keeps it apart from U+FFFD (%EF%BF%BD) and every other name.
                builder.Append("%u").Append(HexUpper[rest[0] >> 12]).Append(HexUpper[(rest[0] >> 8) & 0xF])
                    .Append(HexUpper[(rest[0] >> 4) & 0xF]).Append(HexUpper[rest[0] & 0xF]);
                rest = rest[1..];
                continue;
            }

            rest = rest[consumed..];
            if (rune.IsAscii && s_safe.Contains((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private string PrefixOf(string modelName, string modelVersion)
    {
        if (_prefixes.TryGetValue((modelName, modelVersion), out var prefix))
        {
            return prefix;
        }

        prefix = $"{Prefix}{Escape(modelName)}:{Escape(modelVersion)}:";
        if (_prefixes.Count < MaxCachedPrefixes)
        {
            _prefixes.TryAdd((modelName, modelVersion), prefix);
        }

        return prefix;
    }

    /// <summary>Writes a string's length and its UTF-16 code units, little-endian: injective for every string, lone surrogates included.</summary>
    private static int WriteString(Span<byte> destination, string value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, value.Length);
        var units = destination[sizeof(int)..];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(units[(sizeof(char) * i)..], value[i]);
        }

        return sizeof(int) + (sizeof(char) * value.Length);
    }

    private static byte[] Utf16(string value)
    {
        var bytes = new byte[sizeof(char) * value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(sizeof(char) * i), value[i]);
        }

        return bytes;
    }
}
