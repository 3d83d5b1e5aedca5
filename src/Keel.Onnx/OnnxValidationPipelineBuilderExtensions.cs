using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Keel.Validation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>
/// Adds input validation whose element type and shape come from an ONNX model's own input metadata, so a pipeline
/// refuses what the model would refuse (or silently misread) before the model runs.
/// </summary>
public static class OnnxValidationPipelineBuilderExtensions
{
    /// <summary>
    /// Adds input validation taken from the model: the input's shape from <see cref="InferenceSession.InputMetadata"/>
    /// (a dynamic dimension, symbolic or unknown, accepts any length), its element type checked against
    /// <typeparamref name="T"/> when the pipeline is built, and any rules of your own from <paramref name="configure"/>,
    /// for example <c>v =&gt; v.Finite().Within(0, 1)</c>. Violations name the ONNX input, for example
    /// <c>Input247: expected shape [1,3,224,224], got [1,224,224,3]</c>.
    /// </summary>
    /// <typeparam name="T">The tensor's element type; it must be the one the model declares.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="session">The model's session; its metadata is read now, and the session is not kept.</param>
    /// <param name="inputName">The model input this pipeline takes; by default the model's only input.</param>
    /// <param name="configure">
    /// Adds rules to the model's; called once, when the pipeline is built, after the model's shape is set, so a
    /// <c>Shape(...)</c> here replaces it (for example to fix a dynamic batch dimension).
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="session"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputName"/> is empty or white space.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="session"/> has been disposed.</exception>
    /// <remarks>
    /// <see cref="InferencePipelineBuilder{TInput, TResult}.Build(Func{TInput, CancellationToken, ValueTask{TResult}})"/>
    /// throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> when the model has no input named
    /// <paramref name="inputName"/>, when it has several inputs and none is named, when the input is not a tensor, or
    /// when its element type is not <typeparamref name="T"/>.
    /// </remarks>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads extend builders of different input types (DenseTensor<T>, OrtValue), so no call can match both.")]
    public static InferencePipelineBuilder<DenseTensor<T>, TResult> UseValidateInput<T, TResult>(
        this InferencePipelineBuilder<DenseTensor<T>, TResult> builder,
        InferenceSession session,
        string? inputName = null,
        Action<InputRules<DenseTensor<T>>>? configure = null)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(session);
        if (inputName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        }

        var input = OnnxInput.Resolve(session, inputName);
        return builder.UseValidateInput(input.Name, rules =>
        {
            if (input.Problem is { } problem)
            {
                rules.AddError(problem);
                return;
            }

            if (OnnxElementTypes.Of<T>() != input.ElementType)
            {
                rules.AddError($"the model's input '{input.Name}' expects element type {OnnxElementTypes.NameOf(input.ElementType)}, but the pipeline's input is DenseTensor<{OnnxElementTypes.NameOf<T>()}>.");
                return;
            }

            rules.TensorAccess = DenseTensorInput<T>.Shared;
            rules.Tensor.Shape = input.Shape;
            configure?.Invoke(rules);
        });
    }

    /// <summary>
    /// Adds input validation taken from the model for <see cref="OrtValue"/> inputs: each call checks that the value is
    /// a tensor of the element type the model declares (rule <c>element-type</c>, for example
    /// <c>Input247: expected element type float, got double</c>) and of its shape (a dynamic dimension accepts any
    /// length), then any rules of your own from <paramref name="configure"/>, for example <c>v =&gt; v.Finite()</c>.
    /// </summary>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="session">The model's session; its metadata is read now, and the session is not kept.</param>
    /// <param name="inputName">The model input this pipeline takes; by default the model's only input.</param>
    /// <param name="configure">
    /// Adds rules to the model's; called once, when the pipeline is built, after the model's shape is set, so a
    /// <c>Shape(...)</c> here replaces it.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="session"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputName"/> is empty or white space.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="session"/> has been disposed.</exception>
    /// <remarks>
    /// <see cref="InferencePipelineBuilder{TInput, TResult}.Build(Func{TInput, CancellationToken, ValueTask{TResult}})"/>
    /// throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> when the model has no input named
    /// <paramref name="inputName"/>, when it has several inputs and none is named, when the input is not a tensor, or
    /// when its elements are not numbers Keel can check (for example strings or float16).
    /// </remarks>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads extend builders of different input types (DenseTensor<T>, OrtValue), so no call can match both.")]
    public static InferencePipelineBuilder<OrtValue, TResult> UseValidateInput<TResult>(
        this InferencePipelineBuilder<OrtValue, TResult> builder,
        InferenceSession session,
        string? inputName = null,
        Action<InputRules<OrtValue>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(session);
        if (inputName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        }

        var input = OnnxInput.Resolve(session, inputName);
        return builder.UseValidateInput(input.Name, rules =>
        {
            if (input.Problem is { } problem)
            {
                rules.AddError(problem);
                return;
            }

            if (OrtValueInput.For(input.ElementType) is not { } access)
            {
                rules.AddError($"the model's input '{input.Name}' holds {OnnxElementTypes.NameOf(input.ElementType)} elements, but Keel.Onnx checks tensors of {OnnxElementTypes.Supported}.");
                return;
            }

            rules.TensorAccess = access;
            rules.Tensor.Shape = input.Shape;
            configure?.Invoke(rules);
        });
    }
}
