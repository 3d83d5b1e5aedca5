using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Keel.Caching;

/// <summary>Finds and creates <see cref="IResultSerializer{T}"/> instances.</summary>
public static class ResultSerializer
{
    /// <summary>
    /// Returns Keel's serializer for <typeparamref name="T"/>, or <see langword="null"/> when it has none: a raw
    /// binary format for numeric scalars and arrays (element type, length, then the elements' bytes, checked when
    /// read) and UTF-8 for strings.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The serializer, or <see langword="null"/>.</returns>
    public static IResultSerializer<T>? For<T>() => BuiltInSerializers<T>.Instance;

    /// <summary>
    /// Creates a serializer that uses System.Text.Json with source-generated metadata, for records and other
    /// reference types: <c>ResultSerializer.Json(MyJsonContext.Default.FraudScore)</c>.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="typeInfo">The type's metadata from a <c>JsonSerializerContext</c>.</param>
    /// <returns>The serializer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is <see langword="null"/>.</exception>
    public static IResultSerializer<T> Json<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new JsonResultSerializer<T>(typeInfo);
    }

    private sealed class JsonResultSerializer<T>(JsonTypeInfo<T> typeInfo) : IResultSerializer<T>
    {
        public void Serialize(T value, IBufferWriter<byte> destination)
        {
            using var writer = new Utf8JsonWriter(destination);
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        public T Deserialize(ReadOnlySpan<byte> source)
        {
            try
            {
                return JsonSerializer.Deserialize(source, typeInfo)!;
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"The cached bytes are not JSON of {typeof(T)}.", exception);
            }
        }
    }
}

/// <summary>Resolves the built-in serializer of <typeparamref name="T"/> once per type, without reflection.</summary>
internal static class BuiltInSerializers<T>
{
    public static readonly IResultSerializer<T>? Instance = Resolve();

    private static IResultSerializer<T>? Resolve() =>
        typeof(T) == typeof(string) ? (IResultSerializer<T>)(object)new StringSerializer()
        : Numeric<float>() ?? Numeric<double>() ?? Numeric<Half>() ?? Numeric<int>() ?? Numeric<long>()
            ?? Numeric<byte>() ?? Numeric<sbyte>() ?? Numeric<short>() ?? Numeric<ushort>() ?? Numeric<uint>()
            ?? Numeric<ulong>() ?? Numeric<bool>() ?? Numeric<char>();

    private static IResultSerializer<T>? Numeric<TElement>()
        where TElement : unmanaged
    {
        object? serializer =
            typeof(T) == typeof(TElement[]) ? new ArraySerializer<TElement>()
            : typeof(T) == typeof(TElement) ? new ScalarSerializer<TElement>()
            : null;
        return (IResultSerializer<T>?)serializer;
    }

    private sealed class StringSerializer : IResultSerializer<string>
    {
        public void Serialize(string value, IBufferWriter<byte> destination)
        {
            ArgumentNullException.ThrowIfNull(value);
            var span = destination.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
            destination.Advance(Encoding.UTF8.GetBytes(value, span));
        }

        public string Deserialize(ReadOnlySpan<byte> source) => Encoding.UTF8.GetString(source);
    }

    private sealed class ScalarSerializer<TElement> : IResultSerializer<TElement>
        where TElement : unmanaged
    {
        public void Serialize(TElement value, IBufferWriter<byte> destination)
        {
            var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TElement>(in value));
            var span = destination.GetSpan(bytes.Length + 1);
            span[0] = ElementTypes.CodeOf<TElement>();
            bytes.CopyTo(span[1..]);
            destination.Advance(bytes.Length + 1);
        }

        public TElement Deserialize(ReadOnlySpan<byte> source)
        {
            if (source.Length != 1 + Unsafe.SizeOf<TElement>() || source[0] != ElementTypes.CodeOf<TElement>())
            {
                throw new InvalidDataException($"The cached bytes are not a {typeof(TElement)}: {source.Length} bytes with type code {(source.IsEmpty ? "none" : source[0].ToString(CultureInfo.InvariantCulture))}.");
            }

            return MemoryMarshal.Read<TElement>(source[1..]);
        }
    }

    private sealed class ArraySerializer<TElement> : IResultSerializer<TElement[]>
        where TElement : unmanaged
    {
        private const int HeaderLength = 5;

        public void Serialize(TElement[] value, IBufferWriter<byte> destination)
        {
            ArgumentNullException.ThrowIfNull(value);
            var bytes = MemoryMarshal.AsBytes(value.AsSpan());
            var span = destination.GetSpan(HeaderLength + bytes.Length);
            span[0] = ElementTypes.CodeOf<TElement>();
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], value.Length);
            bytes.CopyTo(span[HeaderLength..]);
            destination.Advance(HeaderLength + bytes.Length);
        }

        public TElement[] Deserialize(ReadOnlySpan<byte> source)
        {
            var size = Unsafe.SizeOf<TElement>();
            if (source.Length < HeaderLength || source[0] != ElementTypes.CodeOf<TElement>())
            {
                throw new InvalidDataException($"The cached bytes are not a {typeof(TElement)}[].");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(source[1..]);
            if (length < 0 || (long)length * size != source.Length - HeaderLength)
            {
                throw new InvalidDataException($"The cached bytes declare {length} elements of {typeof(TElement)} but hold {source.Length - HeaderLength} bytes.");
            }

            return MemoryMarshal.Cast<byte, TElement>(source[HeaderLength..]).ToArray();
        }
    }
}
