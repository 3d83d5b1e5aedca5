using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Keel.Caching;

/// <summary>
/// Receives the canonical bytes of a value for a cache key. A <see cref="ValueDescriptor{T}"/> writes each part of
/// the value through one of the <c>Write…</c> methods; every part is tagged with its kind (and, for tensors, element
/// type and shape), so values of different types or shapes that happen to share their bytes never share a key.
/// </summary>
/// <remarks>
/// The same writer computes the in-memory hash, measures and copies the key bytes stored with an entry, and compares
/// an input against an entry's stored bytes, so one description of a value serves all four without allocating.
/// </remarks>
public ref struct CacheKeyWriter
{
    private const byte NullTag = 0;
    private const byte BooleanTag = 1;
    private const byte Int32Tag = 2;
    private const byte Int64Tag = 3;
    private const byte SingleTag = 4;
    private const byte DoubleTag = 5;
    private const byte StringTag = 6;
    private const byte BytesTag = 7;
    private const byte TensorTag = 8;
    private const byte Utf16StringTag = 9;
    private const byte TupleTag = 32;
    private const int MaxStackString = 256;

    private readonly Mode _mode;
    private readonly Span<byte> _buffer;
    private int _position;
    private bool _mismatch;
    private int _pending;
    private UInt128 _hash;

    private CacheKeyWriter(Mode mode, Span<byte> buffer)
    {
        _mode = mode;
        _buffer = buffer;
    }

    private enum Mode : byte
    {
        Measure,
        Hash,
        Copy,
        Compare,
    }

    /// <summary>Gets the number of bytes written so far.</summary>
    internal readonly int Length => _position;

    /// <summary>Gets a value indicating whether the writer hashes (rather than measures, copies or compares); tests use it to make hashes collide.</summary>
    internal readonly bool IsHashing => _mode == Mode.Hash;

    /// <summary>Gets a value indicating whether the bytes written so far equal the compared bytes (compare mode).</summary>
    internal readonly bool IsEqual => !_mismatch && _position == _buffer.Length;

    internal static CacheKeyWriter ForMeasure() => new(Mode.Measure, buffer: default);

    /// <summary>
    /// A writer that hashes. Small parts (tags, lengths, shapes) collect in <paramref name="scratch"/>; each full
    /// batch and each large part is hashed with one-shot XxHash128 seeded by the hash so far, which is several times
    /// cheaper than the incremental hasher for the few hundred bytes of a typical feature vector.
    /// </summary>
    internal static CacheKeyWriter ForHash(Span<byte> scratch) => new(Mode.Hash, scratch);

    internal static CacheKeyWriter ForCopy(Span<byte> destination) => new(Mode.Copy, destination);

    internal static CacheKeyWriter ForCompare(ReadOnlySpan<byte> expected) =>
        new(Mode.Compare, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(expected), expected.Length));

    /// <summary>Returns the hash of everything written (hash mode).</summary>
    internal UInt128 GetHash()
    {
        FlushPending();
        return _hash;
    }

    /// <summary>Writes the start of a tuple of <paramref name="arity"/> parts, so that a tuple never keys like its parts written alone.</summary>
    internal void WriteTupleHeader(int arity) => WriteHeader(TupleTag, arity);

    /// <summary>Writes a marker for a missing value.</summary>
    public void WriteNull() => WriteTag(NullTag);

    /// <summary>Writes a Boolean.</summary>
    /// <param name="value">The value.</param>
    public void Write(bool value)
    {
        Span<byte> bytes = [BooleanTag, value ? (byte)1 : (byte)0];
        Append(bytes);
    }

    /// <summary>Writes a 32-bit integer.</summary>
    /// <param name="value">The value.</param>
    public void Write(int value)
    {
        Span<byte> bytes = stackalloc byte[5];
        bytes[0] = Int32Tag;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], value);
        Append(bytes);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    public void Write(long value)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = Int64Tag;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], value);
        Append(bytes);
    }

    /// <summary>Writes a single-precision number by its bits, so <c>0.0</c> and <c>-0.0</c> are different keys.</summary>
    /// <param name="value">The value.</param>
    public void Write(float value)
    {
        Span<byte> bytes = stackalloc byte[5];
        bytes[0] = SingleTag;
        BinaryPrimitives.WriteSingleLittleEndian(bytes[1..], value);
        Append(bytes);
    }

    /// <summary>Writes a double-precision number by its bits, so <c>0.0</c> and <c>-0.0</c> are different keys.</summary>
    /// <param name="value">The value.</param>
    public void Write(double value)
    {
        Span<byte> bytes = stackalloc byte[9];
        bytes[0] = DoubleTag;
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[1..], value);
        Append(bytes);
    }

    /// <summary>
    /// Writes a string losslessly: a well-formed string as its length and UTF-8 bytes, a string holding a lone
    /// surrogate as its length and UTF-16 code units under another tag, so no two strings share their bytes (UTF-8
    /// would turn every lone surrogate into U+FFFD). <see langword="null"/> is distinct from empty.
    /// </summary>
    /// <param name="value">The value.</param>
    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= MaxStackString ? stackalloc byte[MaxStackString] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            if (Utf8.FromUtf16(value, buffer, out _, out var count, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                WriteHeader(StringTag, count);
                Append(buffer[..count]);
                return;
            }

            WriteHeader(Utf16StringTag, value.Length);
            var units = MemoryMarshal.Cast<byte, char>(buffer)[..value.Length];
            value.CopyTo(units);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<char, ushort>(units), MemoryMarshal.Cast<char, ushort>(units));
            }

            Append(MemoryMarshal.AsBytes(units));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes opaque bytes, prefixed by their length.</summary>
    /// <param name="value">The bytes.</param>
    public void Write(scoped ReadOnlySpan<byte> value)
    {
        WriteHeader(BytesTag, value.Length);
        Append(value);
    }

    /// <summary>
    /// Writes a tensor: its element type, its rank and lengths, and its elements' bytes. Tensors that hold the same
    /// bytes but differ in element type or shape (<c>[1,2]</c> and <c>[2,1]</c>) are different keys.
    /// </summary>
    /// <typeparam name="T">
    /// The element type: <see cref="bool"/>, <see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>,
    /// <see cref="ushort"/>, <see cref="char"/>, <see cref="int"/>, <see cref="uint"/>, <see cref="long"/>,
    /// <see cref="ulong"/>, <see cref="Half"/>, <see cref="float"/> or <see cref="double"/>.
    /// </typeparam>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="lengths">The length of each dimension; their product must equal the number of elements.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the supported element types.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="lengths"/> is empty or its product does not equal the length of <paramref name="data"/>.
    /// </exception>
    public void WriteTensor<T>(scoped ReadOnlySpan<T> data, scoped ReadOnlySpan<int> lengths)
        where T : unmanaged
    {
        Span<long> wide = lengths.Length <= 8 ? stackalloc long[8] : new long[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            wide[i] = lengths[i];
        }

        WriteTensor(data, (ReadOnlySpan<long>)wide[..lengths.Length]);
    }

    /// <inheritdoc cref="WriteTensor{T}(ReadOnlySpan{T}, ReadOnlySpan{int})"/>
    public void WriteTensor<T>(scoped ReadOnlySpan<T> data, scoped ReadOnlySpan<long> lengths)
        where T : unmanaged
    {
        var code = ElementTypes.CodeOf<T>();
        if (code == 0)
        {
            throw new NotSupportedException($"Cache keys support tensors of bool, byte, sbyte, short, ushort, char, int, uint, long, ulong, Half, float and double, but the element type was {typeof(T)}.");
        }

        WriteTensorCore(code, MemoryMarshal.AsBytes(data), data.Length, lengths);
    }

    internal void WriteTensorCore(byte elementCode, scoped ReadOnlySpan<byte> data, long elementCount, scoped ReadOnlySpan<long> lengths)
    {
        if (lengths.IsEmpty || lengths.Length > byte.MaxValue)
        {
            throw new ArgumentException($"A tensor needs between 1 and 255 dimensions, but lengths had {lengths.Length}.", nameof(lengths));
        }

        long product = 1;
        foreach (var length in lengths)
        {
            product *= length;
        }

        if (product != elementCount)
        {
            throw new ArgumentException($"The product of lengths must equal the number of elements ({elementCount}), but was {product}.", nameof(lengths));
        }

        var headerLength = 3 + (8 * lengths.Length);
        var header = headerLength <= 67 ? stackalloc byte[67] : new byte[headerLength];
        header[0] = TensorTag;
        header[1] = elementCode;
        header[2] = (byte)lengths.Length;
        for (var i = 0; i < lengths.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(header[(3 + (8 * i))..], lengths[i]);
        }

        Append(header[..headerLength]);
        Append(data);
    }

    /// <summary>The length of the header <see cref="WriteTensorCore"/> writes for a one-dimensional tensor.</summary>
    internal const int VectorHeaderLength = 3 + 8;

    /// <summary>Returns whether <paramref name="key"/> starts with the header of a one-dimensional tensor of <paramref name="length"/> elements of <paramref name="elementCode"/>.</summary>
    internal static bool IsVectorHeader(ReadOnlySpan<byte> key, byte elementCode, int length) =>
        key.Length >= VectorHeaderLength
        && key[0] == TensorTag
        && key[1] == elementCode
        && key[2] == 1
        && BinaryPrimitives.ReadInt64LittleEndian(key[3..]) == length;

    /// <summary>Returns the seed that stands for a vector's header when the cache hashes its data in one pass.</summary>
    internal static long VectorSeed(byte elementCode, int length) => ((long)length << 16) | ((long)elementCode << 8) | TensorTag;

    private void WriteTag(byte tag)
    {
        Span<byte> bytes = [tag];
        Append(bytes);
    }

    private void WriteHeader(byte tag, int length)
    {
        Span<byte> bytes = stackalloc byte[5];
        bytes[0] = tag;
        BinaryPrimitives.WriteInt32LittleEndian(bytes[1..], length);
        Append(bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(scoped ReadOnlySpan<byte> bytes)
    {
        switch (_mode)
        {
            case Mode.Hash:
                AppendToHash(bytes);
                break;
            case Mode.Copy:
                bytes.CopyTo(_buffer[_position..]);
                break;
            case Mode.Compare:
                // After the first difference, only count: the result is decided.
                _mismatch = _mismatch || _position + bytes.Length > _buffer.Length || !bytes.SequenceEqual(_buffer.Slice(_position, bytes.Length));
                break;
        }

        _position += bytes.Length;
    }

    private void AppendToHash(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _buffer.Length - _pending)
        {
            bytes.CopyTo(_buffer[_pending..]);
            _pending += bytes.Length;
            return;
        }

        FlushPending();
        if (bytes.Length <= _buffer.Length)
        {
            bytes.CopyTo(_buffer);
            _pending = bytes.Length;
            return;
        }

        _hash = XxHash128.HashToUInt128(bytes, Seed());
    }

    private void FlushPending()
    {
        if (_pending > 0)
        {
            _hash = XxHash128.HashToUInt128(_buffer[.._pending], Seed());
            _pending = 0;
        }
    }

    private readonly long Seed() => (long)(ulong)(_hash ^ (_hash >> 64));
}
