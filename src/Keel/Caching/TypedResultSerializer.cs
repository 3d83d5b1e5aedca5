using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Keel.Caching;

/// <summary>
/// Wraps a pipeline's result serializer so that every shared entry says what it holds: a format byte, the payload's
/// kind (scalar, array, string, JSON or a user's serializer) and a 64-bit hash of the result type's name, all checked
/// before the payload is decoded. An entry written by a pipeline of the same model, version and operation but of
/// another result type, a payload that does not decode, a null, and any failure of the inner serializer all read as
/// <see cref="InvalidDataException"/>, which the cache counts as a miss of the shared level and answers from the model.
/// </summary>
/// <remarks>
/// The type's name is written without assembly versions (<c>System.Collections.Generic.List`1[System.Single]</c>), so
/// replicas running different builds of the same types share entries.
/// </remarks>
internal sealed class TypedResultSerializer<T> : IResultSerializer<T>
{
    /// <summary>The first byte of every entry; a new layout gets a new value, so entries of another layout read as misses.</summary>
    public const byte FormatVersion = 0xC1;
    public const int HeaderLength = 2 + sizeof(ulong);

    private static readonly ulong s_typeHash = HashTypeName(typeof(T));
    private readonly IResultSerializer<T> _inner;
    private readonly ResultPayloadKind _kind;

    private TypedResultSerializer(IResultSerializer<T> inner)
    {
        _inner = inner;
        _kind = KindOf(inner);
    }

    /// <summary>Gets the name whose hash identifies <typeparamref name="T"/> in every entry.</summary>
    public static string TypeName { get; } = NameOf(typeof(T));

    /// <summary>Wraps <paramref name="inner"/>; returns <see langword="null"/> for <see langword="null"/> and an already wrapped serializer as it is.</summary>
    public static IResultSerializer<T>? Wrap(IResultSerializer<T>? inner) => inner switch
    {
        null => null,
        TypedResultSerializer<T> typed => typed,
        _ => new TypedResultSerializer<T>(inner),
    };

    public void Serialize(T value, IBufferWriter<byte> destination)
    {
        if (value is null)
        {
            throw new InvalidDataException($"A null {TypeName} is not stored in the shared level: it would read back as a miss.");
        }

        var header = destination.GetSpan(HeaderLength);
        header[0] = FormatVersion;
        header[1] = (byte)_kind;
        BinaryPrimitives.WriteUInt64LittleEndian(header[2..], s_typeHash);
        destination.Advance(HeaderLength);
        _inner.Serialize(value, destination);
    }

    public T Deserialize(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderLength || source[0] != FormatVersion)
        {
            throw new InvalidDataException($"The shared entry is not in Keel's format {FormatVersion:X2}: {source.Length} bytes.");
        }

        if (source[1] != (byte)_kind || BinaryPrimitives.ReadUInt64LittleEndian(source[2..]) != s_typeHash)
        {
            throw new InvalidDataException($"The shared entry holds a {(ResultPayloadKind)source[1]} payload of another result type, not a {_kind} payload of {TypeName}.");
        }

        T value;
        try
        {
            value = _inner.Deserialize(source[HeaderLength..]);
        }
        catch (Exception exception) when (exception is not InvalidDataException and not OperationCanceledException)
        {
            throw new InvalidDataException($"The serializer of {TypeName} failed on a shared entry with {exception.GetType().Name}.", exception);
        }

        return value ?? throw new InvalidDataException($"The shared entry decodes to null, not a {TypeName}.");
    }

    /// <summary>Writes a type's name the same way in every build: namespaces and generic arguments, no assembly versions.</summary>
    internal static string NameOf(Type type)
    {
        if (type.IsArray)
        {
            var element = NameOf(type.GetElementType()!);
            return type.IsSZArray ? element + "[]" : $"{element}[{new string(',', type.GetArrayRank() - 1)}]";
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var definition = type.GetGenericTypeDefinition();
            return $"{definition.FullName ?? definition.Name}[{string.Join(",", type.GetGenericArguments().Select(NameOf))}]";
        }

        return type.FullName ?? type.Name;
    }

    private static ulong HashTypeName(Type type) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(NameOf(type).AsSpan()));

    private static ResultPayloadKind KindOf(IResultSerializer<T> inner) =>
        ReferenceEquals(inner, BuiltInSerializers<T>.Instance)
            ? typeof(T) == typeof(string) ? ResultPayloadKind.String : typeof(T).IsArray ? ResultPayloadKind.Array : ResultPayloadKind.Scalar
        : inner is IJsonResultSerializer ? ResultPayloadKind.Json
        : ResultPayloadKind.Custom;
}

/// <summary>What a shared entry's payload is, written in its header.</summary>
internal enum ResultPayloadKind : byte
{
    Scalar = 1,
    Array = 2,
    String = 3,
    Json = 4,
    Custom = 5,
}

/// <summary>Marks the System.Text.Json serializer, so its entries are tagged as JSON.</summary>
internal interface IJsonResultSerializer;
