using Keel.Monitoring;
using Keel.Pipeline;

namespace Keel.Validation;

/// <summary>
/// Left on a builder by <c>UseValidation</c>: the rules, checked for misuse and matched to the input type when the
/// pipeline is built.
/// </summary>
internal sealed class ValidationDecoratorFactory<TPipelineInput>(string parameter, Action<InputRules<TPipelineInput>> configure) : DecoratorFactory
{
    public const string DecoratorName = "ValidateInput";

    // The extension method only creates this factory for a builder whose input type is TPipelineInput.
    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var rules = new InputRules<TPipelineInput>(parameter);
        configure(rules);
        foreach (var error in rules.Errors)
        {
            errors.Add($"{DecoratorName} rule for '{parameter}': {error}");
        }

        var tensor = rules.TensorAccess ?? TensorInput<TPipelineInput>.Instance;
        var needsTensor = rules.Tensor.Shape is not null || rules.Tensor.Finite || rules.Tensor.Within is not null
            || rules.Tensor.NotEmpty || rules.Tensor.MaxElements is not null || rules.Tensor.Expectations.Count > 0
            || rules.DriftMonitors.Count > 0;
        if (needsTensor && tensor is null)
        {
            errors.Add($"{DecoratorName} cannot apply tensor rules to parameter '{parameter}' of type {typeof(TPipelineInput)}: they apply to arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of float, double, Half, int, long or byte. Use Must(...) for other types.");
        }

        if (rules.DriftMonitors.Count > 0 && tensor is not null && tensor.ElementType != typeof(float))
        {
            errors.Add($"{DecoratorName} cannot watch drift of parameter '{parameter}': drift profiles are of float features, but the elements are {tensor.ElementType}.");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        if (!needsTensor && rules.CustomRules.Count == 0 && rules.ObjectValidators.Count == 0)
        {
            return null;
        }

        foreach (var (monitor, _) in rules.DriftMonitors)
        {
            monitor.ReportTo(context.ModelName, context.ModelVersion, context.Instruments);
        }

        var settings = new ValidationSettings<TPipelineInput>(
            parameter,
            rules.Tensor,
            needsTensor ? tensor : null,
            [.. rules.CustomRules],
            [.. rules.ObjectValidators],
            rules.DriftMonitors.Count == 0 ? null : [.. rules.DriftMonitors.Select(static d => (new DriftMonitorRows(d.Monitor), d.Action))],
            RecordViolation: CreateViolationRecorder(context.Instruments),
            context.LoggerFactory.CreateLogger("Keel.Validation"));
        return new Decorator<TInput, TResult>(
            DecoratorName,
            next => (InferenceHandler<TInput, TResult>)(object)new ValidationDecorator<TPipelineInput, TResult>((InferenceHandler<TPipelineInput, TResult>)(object)next, settings));
    }

    /// <summary>Counts violations on <c>keel.validation.violations</c>; built once per pipeline, so a call allocates nothing.</summary>
    private static Action<InferenceContext, string, string> CreateViolationRecorder(KeelInstruments instruments) =>
        (call, rule, action) => instruments.RecordValidationViolation(call.ModelName, call.ModelVersion, call.OperationName, rule, action);
}
