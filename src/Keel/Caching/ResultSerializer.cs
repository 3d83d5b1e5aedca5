using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization.Metadata;

namespace Keel.Caching;

/// <summary>Finds and creates <see cref="IResultSerializer{T}"/> instances.</summary>
public static class ResultSerializer
{
    /// <summary>
    /// Returns Keel's serializer for <typeparamref name="T"/>, or <see langword="null"/> when it has none: a raw
    /// binary format for numeric scalars and arrays (a scalar or array tag, the element type, the length of an array,
    /// then the elements' bytes, all checked when read) and lossless text for strings (UTF-8, or UTF-16 code units for
    /// a string that holds a lone surrogate).
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

    private sealed class JsonResultSerializer<T>(JsonTypeInfo<T> typeInfo) : IResultSerializer<T>, IJsonResultSerializer
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
                return JsonSerializer.Deserialize(source, typeInfo)
                    ?? throw new InvalidDataException($"The cached bytes are JSON null, not a {typeof(T)}.");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"The cached bytes are not JSON of {typeof(T)}.", exception);
            }
        }
    }
}

/// <summary>Resolves the built-in serializer of <typeparamref name="T"/> once per type, without reflection.</summary>
/// <remarks>
/// Every built-in payload starts with a tag saying what it is (<see cref="ScalarTag"/>, <see cref="ArrayTag"/>,
/// <see cref="Utf8StringTag"/>, <see cref="Utf16StringTag"/>), then the element type where there is one, so a scalar,
/// an array and a string never read as one another. Strings are lossless: UTF-8 when well formed, UTF-16 code units
/// when they hold a lone surrogate.
/// </remarks>
internal static class BuiltInSerializers<T>
{
    public const byte ScalarTag = 1;
    public const byte ArrayTag = 2;
    public const byte Utf8StringTag = 3;
    public const byte Utf16StringTag = 4;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

    private static string Describe(ReadOnlySpan<byte> source) => source.IsEmpty
        ? "0 bytes"
        : string.Create(CultureInfo.InvariantCulture, $"{source.Length} bytes with tag {source[0]}");

    private sealed class StringSerializer : IResultSerializer<string>
    {
        public void Serialize(string value, IBufferWriter<byte> destination)
        {
            ArgumentNullException.ThrowIfNull(value);
            var span = destination.GetSpan(1 + Encoding.UTF8.GetMaxByteCount(value.Length));
            if (Utf8.FromUtf16(value, span[1..], out _, out var count, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                span[0] = Utf8StringTag;
                destination.Advance(1 + count);
                return;
            }

            // A lone surrogate has no UTF-8 form: store the code units, little-endian.
            span[0] = Utf16StringTag;
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[(1 + (2 * i))..], value[i]);
            }

            destination.Advance(1 + (2 * value.Length));
        }

        public string Deserialize(ReadOnlySpan<byte> source)
        {
            if (!source.IsEmpty && source[0] == Utf8StringTag)
            {
                try
                {
                    return s_strictUtf8.GetString(source[1..]);
                }
                catch (DecoderFallbackException exception)
                {
                    throw new InvalidDataException("The cached bytes are not well-formed UTF-8.", exception);
                }
            }

            if (!source.IsEmpty && source[0] == Utf16StringTag && (source.Length - 1) % 2 == 0)
            {
                var units = MemoryMarshal.Cast<byte, char>(source[1..]);
                return BitConverter.IsLittleEndian ? new string(units) : ReverseEndianness(units);
            }

            throw new InvalidDataException($"The cached bytes are not a string: {Describe(source)}.");
        }
    }

    private static string ReverseEndianness(ReadOnlySpan<char> units)
    {
        var chars = units.ToArray();
        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<char, ushort>(chars.AsSpan()), MemoryMarshal.Cast<char, ushort>(chars.AsSpan()));
        return new string(chars);
    }

    private sealed class ScalarSerializer<TElement> : IResultSerializer<TElement>
        where TElement : unmanaged
    {
        private const int HeaderLength = 2;

        public void Serialize(TElement value, IBufferWriter<byte> destination)
        {
            var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TElement>(in value));
            var span = destination.GetSpan(HeaderLength + bytes.Length);
            span[0] = ScalarTag;
            span[1] = ElementTypes.CodeOf<TElement>();
            bytes.CopyTo(span[HeaderLength..]);
            destination.Advance(HeaderLength + bytes.Length);
        }

        public TElement Deserialize(ReadOnlySpan<byte> source)
        {
            if (source.Length != HeaderLength + Unsafe.SizeOf<TElement>() || source[0] != ScalarTag || source[1] != ElementTypes.CodeOf<TElement>())
            {
                throw new InvalidDataException($"The cached bytes are not a {typeof(TElement)}: {Describe(source)}.");
            }

            return MemoryMarshal.Read<TElement>(source[HeaderLength..]);
        }
    }

    private sealed class ArraySerializer<TElement> : IResultSerializer<TElement[]>
        where TElement : unmanaged
    {
        private const int HeaderLength = 6;

        public void Serialize(TElement[] value, IBufferWriter<byte> destination)
        {
            ArgumentNullException.ThrowIfNull(value);
            var bytes = MemoryMarshal.AsBytes(value.AsSpan());
            var span = destination.GetSpan(HeaderLength + bytes.Length);
            span[0] = ArrayTag;
            span[1] = ElementTypes.CodeOf<TElement>();
            BinaryPrimitives.WriteInt32LittleEndian(span[2..], value.Length);
            bytes.CopyTo(span[HeaderLength..]);
            destination.Advance(HeaderLength + bytes.Length);
        }

        public TElement[] Deserialize(ReadOnlySpan<byte> source)
        {
            var size = Unsafe.SizeOf<TElement>();
            if (source.Length < HeaderLength || source[0] != ArrayTag || source[1] != ElementTypes.CodeOf<TElement>())
            {
                throw new InvalidDataException($"The cached bytes are not a {typeof(TElement)}[]: {Describe(source)}.");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(source[2..]);
            if (length < 0 || (long)length * size != source.Length - HeaderLength)
            {
                throw new InvalidDataException($"The cached bytes declare {length} elements of {typeof(TElement)} but hold {source.Length - HeaderLength} bytes.");
            }

            return MemoryMarshal.Cast<byte, TElement>(source[HeaderLength..]).ToArray();
        }
    }
}
