using System.Numerics;
using Keel.Validation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>Lets Keel's tensor rules read a <see cref="DenseTensor{T}"/>: its dimensions and its buffer.</summary>
internal sealed class DenseTensorInput<T> : TensorInput<DenseTensor<T>, T>
    where T : unmanaged, INumber<T>
{
    public static readonly DenseTensorInput<T> Shared = new();

    protected override bool IsNull(DenseTensor<T> input) => input is null;

    protected override int GetRank(DenseTensor<T> input) => input.Dimensions.Length;

    protected override int GetLengths(DenseTensor<T> input, Span<nint> lengths)
    {
        var dimensions = input.Dimensions;
        for (var i = 0; i < dimensions.Length; i++)
        {
            lengths[i] = dimensions[i];
        }

        return dimensions.Length;
    }

    protected override ReadOnlySpan<T> GetData(DenseTensor<T> input) => DenseTensors.RowMajor(input);
}

/// <summary>
/// Lets Keel's tensor rules read an <see cref="OrtValue"/> whose model input holds <typeparamref name="T"/>. An
/// <see cref="OrtValue"/> carries its element type only at run time, so each call first checks that it is a tensor of
/// <typeparamref name="T"/> (rule <c>element-type</c>) and reads the data only then.
/// </summary>
internal sealed class OrtValueInput<T> : TensorInput<OrtValue, T>
    where T : unmanaged, INumber<T>
{
    private static readonly TensorElementType s_elementType = OnnxElementTypes.Of<T>()!.Value;

    public override void Check(OrtValue input, TensorRules rules, string parameter, ref ViolationBuffer violations, ref AnomalyBuffer anomalies)
    {
        if (input is null)
        {
            violations.Add(new InputViolation(parameter, TensorRules.RequiredRule, "a value", "null"));
            return;
        }

        if (!input.IsTensor)
        {
            violations.Add(new InputViolation(parameter, OnnxRules.ElementTypeRule, $"a tensor of {OnnxElementTypes.NameOf(s_elementType)}", $"a {OnnxElementTypes.NameOf(input.OnnxType)}"));
            return;
        }

        // One call into ONNX Runtime for both the element type and the shape (it returns the shape as a new long[]).
        var info = input.GetTensorTypeAndShape();
        if (info.ElementDataType != s_elementType)
        {
            violations.Add(new InputViolation(parameter, OnnxRules.ElementTypeRule, $"element type {OnnxElementTypes.NameOf(s_elementType)}", OnnxElementTypes.NameOf(info.ElementDataType)));
            return;
        }

        var shape = info.Shape;
        Span<nint> lengths = shape.Length <= 8 ? stackalloc nint[shape.Length] : new nint[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            lengths[i] = checked((nint)shape[i]);
        }

        if (TensorChecker<T>.CheckSizes(rules, lengths, parameter, ref violations) && rules.HasElementRules)
        {
            TensorChecker<T>.CheckElements(rules, input.GetTensorDataAsSpan<T>(), lengths, parameter, ref violations, ref anomalies);
        }
    }

    protected override bool IsNull(OrtValue input) => input is null;

    protected override int GetRank(OrtValue input) =>
        input.IsTensor && input.GetTensorTypeAndShape() is { } info && info.ElementDataType == s_elementType ? info.Shape.Length : 0;

    protected override int GetLengths(OrtValue input, Span<nint> lengths)
    {
        if (!input.IsTensor)
        {
            return 0;
        }

        var info = input.GetTensorTypeAndShape();
        if (info.ElementDataType != s_elementType)
        {
            return 0;
        }

        var shape = info.Shape;
        for (var i = 0; i < shape.Length; i++)
        {
            lengths[i] = checked((nint)shape[i]);
        }

        return shape.Length;
    }

    protected override ReadOnlySpan<T> GetData(OrtValue input) =>
        input.IsTensor && input.GetTensorTypeAndShape().ElementDataType == s_elementType ? input.GetTensorDataAsSpan<T>() : default;
}

/// <summary>Creates the <see cref="OrtValue"/> reader for a model input's element type.</summary>
internal static class OrtValueInput
{
    /// <summary>Returns the reader for <paramref name="elementType"/>, or <see langword="null"/> when Keel cannot check its values.</summary>
    public static TensorInput<OrtValue>? For(TensorElementType elementType) => elementType switch
    {
        TensorElementType.Float => new OrtValueInput<float>(),
        TensorElementType.Double => new OrtValueInput<double>(),
        TensorElementType.Int8 => new OrtValueInput<sbyte>(),
        TensorElementType.UInt8 => new OrtValueInput<byte>(),
        TensorElementType.Int16 => new OrtValueInput<short>(),
        TensorElementType.UInt16 => new OrtValueInput<ushort>(),
        TensorElementType.Int32 => new OrtValueInput<int>(),
        TensorElementType.UInt32 => new OrtValueInput<uint>(),
        TensorElementType.Int64 => new OrtValueInput<long>(),
        TensorElementType.UInt64 => new OrtValueInput<ulong>(),
        _ => null,
    };
}

/// <summary>The rule names Keel.Onnx adds to Keel's.</summary>
internal static class OnnxRules
{
    /// <summary>An <see cref="OrtValue"/> whose element type is not the model's, or that is not a tensor.</summary>
    public const string ElementTypeRule = "element-type";
}
