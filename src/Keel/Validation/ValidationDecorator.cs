using System.Globalization;
using Keel.Pipeline;
using Microsoft.Extensions.Logging;

namespace Keel.Validation;

/// <summary>
/// Checks the input before anything else sees it: sizes first (without reading the data), then vectorised element
/// checks, expectations and custom rules; every violation is collected into one <see cref="InputValidationException"/>
/// and the model is never called. Passing inputs allocate nothing.
/// </summary>
internal sealed class ValidationDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, ValidationSettings<TInput> settings)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly ValidationSettings<TInput> _settings = Prepare(settings);

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var settings = _settings;
        var violations = default(ViolationBuffer);
        var anomalies = default(AnomalyBuffer);
        settings.Tensor?.Check(input, settings.Rules, settings.Parameter, ref violations, ref anomalies);
        foreach (var validator in settings.ObjectValidators)
        {
            validator.Collect(input, settings.Parameter, ref violations);
        }

        foreach (var (rule, check) in settings.CustomRules)
        {
            if (check(input) is { } problem)
            {
                violations.Add(new InputViolation(settings.Parameter, rule, rule, problem, $"{settings.Parameter}: {problem}"));
            }
        }

        if (anomalies.HasAny)
        {
            HandleAnomalies(anomalies, context, ref violations);
        }

        if (violations.HasAny)
        {
            Reject(violations, context);
        }

        // Only an input that passes every other rule is live traffic: a refused one never reaches the drift window,
        // so a flood of refused requests cannot make drift blocking refuse everyone after them.
        if (settings.Drift is not null)
        {
            ObserveDrift(input, context, ref violations);
            if (violations.HasAny)
            {
                Reject(violations, context);
            }
        }

        return _next.InvokeAsync(input, context);
    }

    /// <summary>Converts the ranges to the element type once, when the pipeline is built.</summary>
    private static ValidationSettings<TInput> Prepare(ValidationSettings<TInput> settings)
    {
        settings.Tensor?.Prepare(settings.Rules);
        return settings;
    }

    private void HandleAnomalies(in AnomalyBuffer anomalies, InferenceContext context, ref ViolationBuffer violations)
    {
        foreach (var (expectation, violation) in anomalies.Items)
        {
            switch (expectation.Action)
            {
                case AnomalyAction.Block:
                    violations.Add(violation);
                    break;
                case AnomalyAction.Warn:
                    Record(violation.Rule, "warn", context);
                    // Input values go to Trace only; the warning names the place and the expectation.
                    Log.AnomalyLetThrough(_settings.Logger, context.ModelName, context.ModelVersion, context.OperationName, violation.Parameter, violation.Expected);
                    Log.AnomalyValue(_settings.Logger, context.ModelName, context.ModelVersion, context.OperationName, violation.Message);
                    break;
                default:
                    Record(violation.Rule, "observe", context);
                    break;
            }
        }
    }

    private void ObserveDrift(TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
        foreach (var (rows, action) in _settings.Drift!)
        {
            _settings.Tensor!.TryObserveRows(input, rows);
            if (rows.Monitor.Alert is not { } drifted)
            {
                continue;
            }

            if (action == AnomalyAction.Block)
            {
                violations.Add(new InputViolation(
                    _settings.Parameter,
                    TensorRules.DriftRule,
                    string.Create(CultureInfo.InvariantCulture, $"inputs like the training data (PSI of every feature at most {rows.Monitor.WarningThreshold})"),
                    string.Create(CultureInfo.InvariantCulture, $"feature '{drifted.Feature}' at PSI {drifted.Psi:F3}")));
            }
            else
            {
                Record(TensorRules.DriftRule, action == AnomalyAction.Warn ? "warn" : "observe", context);
            }
        }
    }

    private void Reject(in ViolationBuffer violations, InferenceContext context)
    {
        foreach (var violation in violations.Items)
        {
            Record(violation.Rule, "block", context);
        }

        throw new InputValidationException(violations.Items);
    }

    private void Record(string rule, string action, InferenceContext context) =>
        _settings.RecordViolation?.Invoke(context, rule, action);
}

/// <summary>Everything a validation decorator needs, resolved when the pipeline is built.</summary>
internal sealed record ValidationSettings<TInput>(
    string Parameter,
    TensorRules Rules,
    TensorInput<TInput>? Tensor,
    (string Rule, Func<TInput, string?> Check)[] CustomRules,
    ObjectValidator<TInput>[] ObjectValidators,
    (DriftMonitorRows Rows, AnomalyAction Action)[]? Drift,
    Action<InferenceContext, string, string>? RecordViolation,
    ILogger Logger);
