using Keel.Caching;
using System.Numerics.Tensors;

namespace Keel.Pipeline.Descriptors;

/// <summary>
/// Resolves Keel's descriptor for <typeparamref name="T"/> once per type. Every branch names a closed type, so the
/// resolution needs no reflection-based instantiation and stays Native-AOT safe.
/// </summary>
internal static class BuiltInDescriptors<T>
{
    public static readonly ValueDescriptor<T>? Instance = Resolve();

    private static ValueDescriptor<T>? Resolve()
    {
        if (typeof(T) == typeof(string))
        {
            return (ValueDescriptor<T>)(object)StringDescriptor.Instance;
        }

        if (typeof(T).IsArray && !typeof(T).IsSZArray && typeof(T).GetElementType() is { } element && ElementTypes.SizeOf(element) > 0)
        {
            return new MultiDimensionalArrayDescriptor<T>(element);
        }

        return Numeric<float>() ?? Numeric<double>() ?? Numeric<Half>() ?? Numeric<int>() ?? Numeric<long>()
            ?? Numeric<byte>() ?? Numeric<sbyte>() ?? Numeric<short>() ?? Numeric<ushort>() ?? Numeric<uint>()
            ?? Numeric<ulong>() ?? Numeric<bool>() ?? Numeric<char>();
    }

    private static ValueDescriptor<T>? Numeric<TElement>()
        where TElement : unmanaged
    {
        object? descriptor =
            typeof(T) == typeof(TElement[]) ? new ArrayDescriptor<TElement>()
            : typeof(T) == typeof(ReadOnlyMemory<TElement>) ? new ReadOnlyMemoryDescriptor<TElement>()
            : typeof(T) == typeof(Memory<TElement>) ? new MemoryDescriptor<TElement>()
            : typeof(T) == typeof(Tensor<TElement>) ? new TensorDescriptor<TElement>()
            : typeof(T) == typeof(TElement) ? new ScalarDescriptor<TElement>()
            : null;
        return (ValueDescriptor<T>?)descriptor;
    }
}
