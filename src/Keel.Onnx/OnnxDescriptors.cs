using Keel.Caching;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>
/// Describes ONNX Runtime inputs to the decorators that look inside them (the cache's keys, the monitor's sizes and
/// shapes): <c>builder.WithInputDescriptor(OnnxDescriptors.DenseTensor&lt;float&gt;())</c>.
/// </summary>
public static class OnnxDescriptors
{
    /// <summary>
    /// Returns the descriptor of <see cref="DenseTensor{T}"/> inputs: element count, a shape such as
    /// <c>float[1,3,224,224]</c>, and key bytes holding the element type, the dimensions and the elements in row-major
    /// order, so tensors of equal bytes but different shapes (<c>[1,2]</c> and <c>[2,1]</c>) never share a key.
    /// </summary>
    /// <typeparam name="T">
    /// The element type: <see cref="bool"/>, <see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>,
    /// <see cref="ushort"/>, <see cref="int"/>, <see cref="uint"/>, <see cref="long"/>, <see cref="ulong"/>,
    /// <see cref="float"/> or <see cref="double"/>.
    /// </typeparam>
    /// <returns>The descriptor.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of those element types.</exception>
    public static ValueDescriptor<DenseTensor<T>> DenseTensor<T>()
        where T : unmanaged
    {
        if (OnnxElementTypes.Of<T>() is null)
        {
            throw new NotSupportedException($"OnnxDescriptors.DenseTensor supports bool, byte, sbyte, short, ushort, int, uint, long, ulong, float and double elements, but the element type was {typeof(T)}.");
        }

        return DenseTensorDescriptor<T>.Instance;
    }

    /// <summary>
    /// Returns the descriptor of <see cref="OrtValue"/> tensor inputs: element count, a shape such as
    /// <c>float[1,3,224,224]</c>, and key bytes holding the element type, the dimensions and the elements.
    /// </summary>
    /// <returns>The descriptor.</returns>
    /// <remarks>
    /// Its key writer throws <see cref="NotSupportedException"/> for a value that is not a tensor or whose elements are
    /// not bool, byte, sbyte, short, ushort, int, uint, long, ulong, float or double (strings, float16, maps, sequences).
    /// </remarks>
    public static ValueDescriptor<OrtValue> OrtValue() => OrtValueDescriptor.Instance;
}

/// <summary>Describes a <see cref="DenseTensor{T}"/> for cache keys and telemetry.</summary>
internal sealed class DenseTensorDescriptor<T> : ValueDescriptor<DenseTensor<T>>
    where T : unmanaged
{
    public static readonly DenseTensorDescriptor<T> Instance = new();

    public override long GetElementCount(DenseTensor<T> value) => value?.Length ?? 0;

    public override string DescribeShape(DenseTensor<T> value) =>
        value is null ? "null" : OnnxShapes.Describe(OnnxElementTypes.NameOf<T>(), value.Dimensions);

    public override void WriteKey(DenseTensor<T> value, ref CacheKeyWriter writer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        // A scalar (rank 0) keys as one element, as Keel's scalar descriptor does.
        ReadOnlySpan<int> scalar = [1];
        writer.WriteTensor(DenseTensors.RowMajor(value), value.Rank == 0 ? scalar : value.Dimensions);
    }
}

/// <summary>Describes an <see cref="OrtValue"/> tensor for cache keys and telemetry.</summary>
internal sealed class OrtValueDescriptor : ValueDescriptor<OrtValue>
{
    public static readonly OrtValueDescriptor Instance = new();

    public override long GetElementCount(OrtValue value) =>
        value is null || !value.IsTensor ? 0 : value.GetTensorTypeAndShape().ElementCount;

    public override string DescribeShape(OrtValue value)
    {
        if (value is null)
        {
            return "null";
        }

        if (!value.IsTensor)
        {
            return OnnxElementTypes.NameOf(value.OnnxType);
        }

        var info = value.GetTensorTypeAndShape();
        return OnnxShapes.Describe(OnnxElementTypes.NameOf(info.ElementDataType), info.Shape);
    }

    public override void WriteKey(OrtValue value, ref CacheKeyWriter writer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        if (!value.IsTensor)
        {
            throw new NotSupportedException($"Cache keys support OrtValue tensors, but the value was a {OnnxElementTypes.NameOf(value.OnnxType)}.");
        }

        var info = value.GetTensorTypeAndShape();
        ReadOnlySpan<long> shape = info.Shape.Length == 0 ? [1] : info.Shape;
        switch (info.ElementDataType)
        {
            case TensorElementType.Float: writer.WriteTensor(value.GetTensorDataAsSpan<float>(), shape); break;
            case TensorElementType.Double: writer.WriteTensor(value.GetTensorDataAsSpan<double>(), shape); break;
            case TensorElementType.Int8: writer.WriteTensor(value.GetTensorDataAsSpan<sbyte>(), shape); break;
            case TensorElementType.UInt8: writer.WriteTensor(value.GetTensorDataAsSpan<byte>(), shape); break;
            case TensorElementType.Int16: writer.WriteTensor(value.GetTensorDataAsSpan<short>(), shape); break;
            case TensorElementType.UInt16: writer.WriteTensor(value.GetTensorDataAsSpan<ushort>(), shape); break;
            case TensorElementType.Int32: writer.WriteTensor(value.GetTensorDataAsSpan<int>(), shape); break;
            case TensorElementType.UInt32: writer.WriteTensor(value.GetTensorDataAsSpan<uint>(), shape); break;
            case TensorElementType.Int64: writer.WriteTensor(value.GetTensorDataAsSpan<long>(), shape); break;
            case TensorElementType.UInt64: writer.WriteTensor(value.GetTensorDataAsSpan<ulong>(), shape); break;
            case TensorElementType.Bool: writer.WriteTensor(value.GetTensorDataAsSpan<bool>(), shape); break;
            default:
                throw new NotSupportedException($"Cache keys support OrtValue tensors of bool, byte, sbyte, short, ushort, int, uint, long, ulong, float and double, but the element type was {OnnxElementTypes.NameOf(info.ElementDataType)}.");
        }
    }
}

/// <summary>Shape descriptions: <c>float[1,3,224,224]</c>.</summary>
internal static class OnnxShapes
{
    public static string Describe<TLength>(string element, ReadOnlySpan<TLength> lengths)
        where TLength : IFormattable =>
        $"{element}[{string.Join(',', lengths.ToArray().Select(static l => l.ToString(null, System.Globalization.CultureInfo.InvariantCulture)))}]";
}
