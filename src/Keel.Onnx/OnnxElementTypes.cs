using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>Maps .NET element types to ONNX element types and names both in messages.</summary>
internal static class OnnxElementTypes
{
    /// <summary>The element types whose values Keel can check, for messages.</summary>
    public const string Supported = "float, double, sbyte, byte, short, ushort, int, uint, long or ulong";

    /// <summary>Returns the ONNX element type of <typeparamref name="T"/>, or <see langword="null"/> when ONNX has none for it.</summary>
    public static TensorElementType? Of<T>() =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
        : typeof(T) == typeof(byte) ? TensorElementType.UInt8
        : typeof(T) == typeof(short) ? TensorElementType.Int16
        : typeof(T) == typeof(ushort) ? TensorElementType.UInt16
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : typeof(T) == typeof(uint) ? TensorElementType.UInt32
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(ulong) ? TensorElementType.UInt64
        : typeof(T) == typeof(bool) ? TensorElementType.Bool
        : null;

    /// <summary>Returns the C# keyword of an ONNX element type where there is one (<c>float</c>, <c>long</c>), else its ONNX name.</summary>
    public static string NameOf(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float",
        TensorElementType.Double => "double",
        TensorElementType.Int8 => "sbyte",
        TensorElementType.UInt8 => "byte",
        TensorElementType.Int16 => "short",
        TensorElementType.UInt16 => "ushort",
        TensorElementType.Int32 => "int",
        TensorElementType.UInt32 => "uint",
        TensorElementType.Int64 => "long",
        TensorElementType.UInt64 => "ulong",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Complex64 => "complex64",
        TensorElementType.Complex128 => "complex128",
        _ => type.ToString(),
    };

    /// <summary>Returns the name of a .NET element type in messages.</summary>
    public static string NameOf<T>() => Of<T>() is { } type ? NameOf(type) : typeof(T).Name;

    /// <summary>Returns the name of an ONNX value kind in messages: <c>tensor</c>, <c>sequence</c>, <c>map</c>.</summary>
    public static string NameOf(OnnxValueType type) => type switch
    {
        OnnxValueType.ONNX_TYPE_TENSOR => "tensor",
        OnnxValueType.ONNX_TYPE_SEQUENCE => "sequence",
        OnnxValueType.ONNX_TYPE_MAP => "map",
        OnnxValueType.ONNX_TYPE_OPAQUE => "opaque value",
        OnnxValueType.ONNX_TYPE_SPARSETENSOR => "sparse tensor",
        OnnxValueType.ONNX_TYPE_OPTIONAL => "optional value",
        _ => "value of unknown kind",
    };
}
