using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>
/// One input of an ONNX model as its metadata declares it: name, element type and shape, with dynamic dimensions as
/// <c>-1</c>. Read once from the session when <c>UseValidateInput(session)</c> is called; a problem (no such input, or
/// several inputs and none named) is kept and reported when the pipeline is built.
/// </summary>
internal sealed class OnnxInput
{
    /// <summary>The parameter name used in messages when the input could not be chosen.</summary>
    public const string UnresolvedName = "input";

    private OnnxInput(string name, TensorElementType elementType, int[] shape, string? problem)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Problem = problem;
    }

    /// <summary>Gets the input's name, the parameter in violations (for example <c>Input247</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the element type the model declares.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Gets the declared lengths, <c>-1</c> for a dynamic (symbolic or unknown) dimension.</summary>
    public int[] Shape { get; }

    /// <summary>Gets why the input cannot be validated, or <see langword="null"/>.</summary>
    public string? Problem { get; }

    public static OnnxInput Resolve(InferenceSession session, string? inputName)
    {
        var inputs = session.InputMetadata;
        var names = string.Join(", ", inputs.Keys.Order(StringComparer.Ordinal));
        if (inputName is null)
        {
            if (inputs.Count != 1)
            {
                return Unresolved(string.Create(CultureInfo.InvariantCulture, $"the model has {inputs.Count} inputs ({names}), so UseValidateInput needs the name of the one this pipeline takes as inputName, but none was given."));
            }

            var only = inputs.First();
            return FromMetadata(only.Key, only.Value);
        }

        return inputs.TryGetValue(inputName, out var metadata)
            ? FromMetadata(inputName, metadata)
            : new OnnxInput(inputName, default, [], $"the model has no input named '{inputName}'; its inputs are: {names}.");
    }

    private static OnnxInput FromMetadata(string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            return new OnnxInput(name, default, [], $"the model's input '{name}' is a {OnnxElementTypes.NameOf(metadata.OnnxValueType)}, but Keel.Onnx validates tensor inputs only.");
        }

        var dimensions = metadata.Dimensions;
        var shape = new int[dimensions.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            // ONNX Runtime reports a symbolic (e.g. "batch") or unknown dimension as -1: any length.
            shape[i] = dimensions[i] < 0 ? -1 : dimensions[i];
        }

        return new OnnxInput(name, metadata.ElementDataType, shape, problem: null);
    }

    private static OnnxInput Unresolved(string problem) => new(UnresolvedName, default, [], problem);
}
