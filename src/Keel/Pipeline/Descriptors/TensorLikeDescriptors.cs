using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Keel.Caching;

namespace Keel.Pipeline.Descriptors;

/// <summary>Shape descriptions shared by the built-in descriptors: <c>float[1,3,224,224]</c>.</summary>
internal static class Shapes
{
    public static string Describe(Type element, scoped ReadOnlySpan<long> lengths)
    {
        var builder = new StringBuilder(ElementTypes.NameOf(element)).Append('[');
        for (var i = 0; i < lengths.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append(lengths[i]);
        }

        return builder.Append(']').ToString();
    }

    public static string Describe(Type element, long length) => $"{ElementTypes.NameOf(element)}[{length}]";
}

internal sealed class ArrayDescriptor<T> : ValueDescriptor<T[]>
    where T : unmanaged
{
    public override long GetElementCount(T[] value) => value?.Length ?? 0;

    public override string DescribeShape(T[] value) => value is null ? "null" : Shapes.Describe(typeof(T), value.Length);

    public override void WriteKey(T[] value, ref CacheKeyWriter writer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        ReadOnlySpan<long> lengths = [value.Length];
        writer.WriteTensorCore(ElementTypes.CodeOf<T>(), MemoryMarshal.AsBytes(value.AsSpan()), value.Length, lengths);
    }

    internal override bool TryGetVector(T[] value, out ReadOnlySpan<byte> data, out byte elementCode, out int length)
    {
        data = value is null ? default : MemoryMarshal.AsBytes(value.AsSpan());
        elementCode = ElementTypes.CodeOf<T>();
        length = value?.Length ?? 0;
        return value is not null;
    }
}

internal sealed class ReadOnlyMemoryDescriptor<T> : ValueDescriptor<ReadOnlyMemory<T>>
    where T : unmanaged
{
    public override long GetElementCount(ReadOnlyMemory<T> value) => value.Length;

    public override string DescribeShape(ReadOnlyMemory<T> value) => Shapes.Describe(typeof(T), value.Length);

    public override void WriteKey(ReadOnlyMemory<T> value, ref CacheKeyWriter writer)
    {
        ReadOnlySpan<long> lengths = [value.Length];
        writer.WriteTensorCore(ElementTypes.CodeOf<T>(), MemoryMarshal.AsBytes(value.Span), value.Length, lengths);
    }

    internal override bool TryGetVector(ReadOnlyMemory<T> value, out ReadOnlySpan<byte> data, out byte elementCode, out int length)
    {
        data = MemoryMarshal.AsBytes(value.Span);
        elementCode = ElementTypes.CodeOf<T>();
        length = value.Length;
        return true;
    }
}

internal sealed class MemoryDescriptor<T> : ValueDescriptor<Memory<T>>
    where T : unmanaged
{
    private static readonly ReadOnlyMemoryDescriptor<T> s_inner = new();

    public override long GetElementCount(Memory<T> value) => value.Length;

    public override string DescribeShape(Memory<T> value) => s_inner.DescribeShape(value);

    public override void WriteKey(Memory<T> value, ref CacheKeyWriter writer) => s_inner.WriteKey(value, ref writer);

    internal override bool TryGetVector(Memory<T> value, out ReadOnlySpan<byte> data, out byte elementCode, out int length) =>
        s_inner.TryGetVector(value, out data, out elementCode, out length);
}

internal sealed class TensorDescriptor<T> : ValueDescriptor<Tensor<T>>
    where T : unmanaged
{
    public override long GetElementCount(Tensor<T> value) => value?.FlattenedLength ?? 0;

    public override string DescribeShape(Tensor<T> value)
    {
        if (value is null)
        {
            return "null";
        }

        Span<long> lengths = stackalloc long[value.Rank];
        Widen(value.Lengths, lengths);
        return Shapes.Describe(typeof(T), lengths);
    }

    public override void WriteKey(Tensor<T> value, ref CacheKeyWriter writer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        Span<long> lengths = stackalloc long[value.Rank];
        Widen(value.Lengths, lengths);
        var count = checked((int)value.FlattenedLength);
        if (value.IsDense)
        {
            var data = MemoryMarshal.CreateReadOnlySpan(ref value.GetPinnableReference(), count);
            writer.WriteTensorCore(ElementTypes.CodeOf<T>(), MemoryMarshal.AsBytes(data), count, lengths);
            return;
        }

        // A strided view: copy it into row-major order first, so that it keys like the dense tensor it equals.
        var rented = ArrayPool<T>.Shared.Rent(count);
        try
        {
            var dense = rented.AsSpan(0, count);
            value.FlattenTo(dense);
            writer.WriteTensorCore(ElementTypes.CodeOf<T>(), MemoryMarshal.AsBytes(dense), count, lengths);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static void Widen(ReadOnlySpan<nint> lengths, Span<long> destination)
    {
        for (var i = 0; i < lengths.Length; i++)
        {
            destination[i] = lengths[i];
        }
    }
}

internal sealed class MultiDimensionalArrayDescriptor<TArray>(Type element) : ValueDescriptor<TArray>
{
    private readonly byte _code = ElementTypes.CodeOf(element);
    private readonly int _elementSize = ElementTypes.SizeOf(element);

    public override long GetElementCount(TArray value) => (value as Array)?.LongLength ?? 0;

    public override string DescribeShape(TArray value)
    {
        if (value is not Array array)
        {
            return "null";
        }

        Span<long> lengths = stackalloc long[array.Rank];
        GetLengths(array, lengths);
        return Shapes.Describe(element, lengths);
    }

    public override void WriteKey(TArray value, ref CacheKeyWriter writer)
    {
        if (value is not Array array)
        {
            writer.WriteNull();
            return;
        }

        Span<long> lengths = stackalloc long[array.Rank];
        GetLengths(array, lengths);
        var data = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), checked(array.Length * _elementSize));
        writer.WriteTensorCore(_code, data, array.Length, lengths);
    }

    private static void GetLengths(Array array, Span<long> lengths)
    {
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = array.GetLength(i);
        }
    }
}

internal sealed class ScalarDescriptor<T> : ValueDescriptor<T>
    where T : unmanaged
{
    public override long GetElementCount(T value) => 1;

    public override string DescribeShape(T value) => ElementTypes.NameOf(typeof(T));

    public override void WriteKey(T value, ref CacheKeyWriter writer)
    {
        ReadOnlySpan<long> lengths = [1];
        writer.WriteTensorCore(ElementTypes.CodeOf<T>(), MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)), 1, lengths);
    }
}

internal sealed class StringDescriptor : ValueDescriptor<string>
{
    public static readonly StringDescriptor Instance = new();

    public override long GetElementCount(string value) => value?.Length ?? 0;

    public override string DescribeShape(string value) => value is null ? "null" : $"string[{value.Length}]";

    public override void WriteKey(string value, ref CacheKeyWriter writer) => writer.Write(value);
}
