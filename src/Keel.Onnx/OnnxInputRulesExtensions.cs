using System.Numerics;
using Keel.Validation;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>Tensor rules for ONNX Runtime's <see cref="DenseTensor{T}"/> inputs, without a session at hand.</summary>
public static class OnnxInputRulesExtensions
{
    /// <summary>
    /// Lets the tensor rules (<c>Shape</c>, <c>Finite</c>, <c>Within</c>, <c>NotEmpty</c>, <c>MaxElements</c>, anomalies
    /// and drift) check a <see cref="DenseTensor{T}"/> input, by its dimensions and its buffer. The source generator
    /// emits it for a <c>DenseTensor&lt;T&gt;</c> parameter with tensor rules. To take the shape and element type from
    /// the model's own metadata instead, use <c>UseValidateInput(session, …)</c>.
    /// </summary>
    /// <typeparam name="T">The element type: float, double, Half, int, long or byte.</typeparam>
    /// <param name="rules">The parameter's rules.</param>
    /// <returns>The rules, to chain the tensor rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// builder.UseValidateInput("pixels", static v => v.DenseTensor().Shape(1, 3, 224, 224).Finite());
    /// </code>
    /// </example>
    public static InputRules<DenseTensor<T>> DenseTensor<T>(this InputRules<DenseTensor<T>> rules)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.TensorAccess = DenseTensorInput<T>.Shared;
        return rules;
    }
}
