using System.Globalization;
using Keel.Monitoring;
using Microsoft.Extensions.Logging;

namespace Keel.Validation;

/// <summary>
/// Checks the input before anything else sees it: sizes first (without reading the data), then vectorised element
/// checks, expectations and custom rules, for the whole input and for each of its parts (parameters); every violation
/// is collected into one <see cref="InputValidationException"/> and the model is never called. Passing inputs allocate
/// nothing.
/// </summary>
internal sealed class ValidationDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, ValidationSettings<TInput> settings)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly ValidationSettings<TInput> _settings = settings;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var violations = default(ViolationBuffer);
        InputChecker.Check(_settings, input, context, ref violations);
        if (violations.HasAny)
        {
            Reject(violations, context);
        }

        // Only an input that passes every other rule is live traffic: a refused one never reaches a drift window, so a
        // flood of refused requests cannot make drift blocking refuse everyone after them.
        if (_settings.HasDrift)
        {
            InputChecker.ObserveDrift(_settings, input, context, ref violations);
            if (violations.HasAny)
            {
                Reject(violations, context);
            }
        }

        return _next.InvokeAsync(input, context);
    }

    private void Reject(in ViolationBuffer violations, InferenceContext context)
    {
        foreach (var violation in violations.Items)
        {
            _settings.Record(violation.Rule, "block", context);
        }

        throw new InputValidationException(violations.Items);
    }
}

/// <summary>Runs one input's (or one part's) rules, adding every violation to the call's buffer.</summary>
internal static class InputChecker
{
    public static void Check<TInput>(ValidationSettings<TInput> settings, TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
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

        foreach (var part in settings.Parts)
        {
            part.Check(input, context, ref violations);
        }

        if (anomalies.HasAny)
        {
            HandleAnomalies(settings, anomalies, context, ref violations);
        }
    }

    /// <summary>Adds a passing input to the drift windows of the input and of its parts; drift blocking adds a violation.</summary>
    public static void ObserveDrift<TInput>(ValidationSettings<TInput> settings, TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
        if (settings.Drift is not null)
        {
            ObserveOwnDrift(settings, input, context, ref violations);
        }

        foreach (var part in settings.Parts)
        {
            part.ObserveDrift(input, context, ref violations);
        }
    }

    private static void HandleAnomalies<TInput>(ValidationSettings<TInput> settings, in AnomalyBuffer anomalies, InferenceContext context, ref ViolationBuffer violations)
    {
        foreach (var (expectation, violation) in anomalies.Items)
        {
            switch (expectation.Action)
            {
                case AnomalyAction.Block:
                    violations.Add(violation);
                    break;
                case AnomalyAction.Warn:
                    settings.Record(violation.Rule, "warn", context);
                    // Input values go to Trace only; the warning names the place and the expectation.
                    Log.AnomalyLetThrough(settings.Logger, context.ModelName, context.ModelVersion, context.OperationName, violation.Parameter, violation.Expected);
                    Log.AnomalyValue(settings.Logger, context.ModelName, context.ModelVersion, context.OperationName, violation.Message);
                    break;
                default:
                    settings.Record(violation.Rule, "observe", context);
                    break;
            }
        }
    }

    private static void ObserveOwnDrift<TInput>(ValidationSettings<TInput> settings, TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
        foreach (var (rows, action) in settings.Drift!)
        {
            settings.Tensor!.TryObserveRows(input, rows);
            if (rows.Monitor.Alert is not { } drifted)
            {
                continue;
            }

            if (action == AnomalyAction.Block)
            {
                violations.Add(new InputViolation(
                    settings.Parameter,
                    TensorRules.DriftRule,
                    string.Create(CultureInfo.InvariantCulture, $"inputs like the training data (PSI of every feature at most {rows.Monitor.WarningThreshold})"),
                    string.Create(CultureInfo.InvariantCulture, $"feature '{drifted.Feature}' at PSI {drifted.Psi:F3}")));
            }
            else
            {
                settings.Record(TensorRules.DriftRule, action == AnomalyAction.Warn ? "warn" : "observe", context);
            }
        }
    }
}

/// <summary>Everything a validation decorator (or one part of its input) needs, resolved when the pipeline is built.</summary>
internal sealed record ValidationSettings<TInput>(
    string Parameter,
    TensorRules Rules,
    TensorInput<TInput>? Tensor,
    (string Rule, Func<TInput, string?> Check)[] CustomRules,
    ObjectValidator<TInput>[] ObjectValidators,
    IInputPart<TInput>[] Parts,
    (DriftMonitorRows Rows, AnomalyAction Action)[]? Drift,
    KeelInstruments Instruments,
    ILogger Logger)
{
    /// <summary>Gets a value indicating whether the input or one of its parts watches drift.</summary>
    public bool HasDrift { get; } = Drift is not null || Parts.Any(static p => p.HasDrift);

    /// <summary>Counts a violation on <c>keel.validation.violations</c>.</summary>
    public void Record(string rule, string action, InferenceContext context) =>
        Instruments.RecordValidationViolation(context.ModelName, context.ModelVersion, context.OperationName, rule, action);
}

/// <summary>The rules of one part of the input (a parameter of a method with several).</summary>
internal interface IInputPart<TInput>
{
    /// <summary>Resolves the part's rules when the pipeline is built; every problem goes to <paramref name="errors"/>.</summary>
    void Build(RuleBuildContext context, List<string> errors);

    bool HasDrift { get; }

    void Check(TInput input, InferenceContext context, ref ViolationBuffer violations);

    void ObserveDrift(TInput input, InferenceContext context, ref ViolationBuffer violations);
}

/// <summary>A part read from the input by a selector and checked by rules of its own.</summary>
internal sealed class InputPart<TInput, TPart>(Func<TInput, TPart> select, InputRules<TPart> rules) : IInputPart<TInput>
{
    private ValidationSettings<TPart>? _settings;

    public void Build(RuleBuildContext context, List<string> errors) =>
        _settings = ValidationDecorator.Resolve(rules, context, errors);

    public bool HasDrift => _settings?.HasDrift ?? false;

    public void Check(TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
        if (_settings is { } settings)
        {
            InputChecker.Check(settings, select(input), context, ref violations);
        }
    }

    public void ObserveDrift(TInput input, InferenceContext context, ref ViolationBuffer violations)
    {
        if (_settings is { } settings)
        {
            InputChecker.ObserveDrift(settings, select(input), context, ref violations);
        }
    }
}

/// <summary>What resolving rules needs from the build context, without its type parameters.</summary>
internal sealed record RuleBuildContext(string ModelName, string ModelVersion, KeelInstruments Instruments, ILogger Logger);

/// <summary>Adds input validation to a pipeline being built.</summary>
internal static class ValidationDecorator
{
    public const string Name = "ValidateInput";

    public static InferenceHandler<TInput, TResult> Create<TInput, TResult>(InferenceHandler<TInput, TResult> next, InferenceBuildContext<TInput, TResult> context, string parameter, Action<InputRules<TInput>> configure)
    {
        var rules = new InputRules<TInput>(parameter);
        configure(rules);
        var info = new RuleBuildContext(context.ModelName, context.ModelVersion, context.Instruments, context.LoggerFactory.CreateLogger("Keel.Validation"));
        var settings = Resolve(rules, info, context.Errors);
        return settings is null ? next : new ValidationDecorator<TInput, TResult>(next, settings);
    }

    /// <summary>
    /// Checks rules for misuse and matches them to the input type; returns <see langword="null"/> when they are
    /// invalid (every problem in <paramref name="errors"/>) or when there is nothing to check.
    /// </summary>
    public static ValidationSettings<TInput>? Resolve<TInput>(InputRules<TInput> rules, RuleBuildContext context, List<string> errors)
    {
        var before = errors.Count;
        var parameter = rules.Parameter;
        foreach (var error in rules.Errors)
        {
            errors.Add($"{Name} rule for '{parameter}': {error}");
        }

        var tensor = rules.TensorAccess ?? TensorInput<TInput>.Instance;
        var needsTensor = rules.Tensor.Shape is not null || rules.Tensor.Finite || rules.Tensor.Within is not null
            || rules.Tensor.NotEmpty || rules.Tensor.MaxElements is not null || rules.Tensor.Expectations.Count > 0
            || rules.DriftMonitors.Count > 0;
        if (needsTensor && tensor is null)
        {
            errors.Add($"{Name} cannot apply tensor rules to parameter '{parameter}' of type {typeof(TInput)}: they apply to arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of float, double, Half, int, long or byte. For an ONNX Runtime DenseTensor<T>, start the rules with DenseTensor() (Keel.Onnx); use Must(...) for other types, or ForParameter(...) for one part of a tuple.");
        }

        if (rules.DriftMonitors.Count > 0 && tensor is not null && tensor.ElementType != typeof(float))
        {
            errors.Add($"{Name} cannot watch drift of parameter '{parameter}': drift profiles are of float features, but the elements are {tensor.ElementType}.");
        }

        if (needsTensor && tensor?.Prepare(rules.Tensor) is { } rangeProblem)
        {
            errors.Add($"{Name} rule for '{parameter}': {rangeProblem}");
        }

        foreach (var part in rules.Parts)
        {
            part.Build(context, errors);
        }

        if (errors.Count > before || (!needsTensor && rules.CustomRules.Count == 0 && rules.ObjectValidators.Count == 0 && rules.Parts.Count == 0))
        {
            return null;
        }

        foreach (var (monitor, _) in rules.DriftMonitors)
        {
            monitor.ReportTo(context.ModelName, context.ModelVersion, context.Instruments);
        }

        return new ValidationSettings<TInput>(
            parameter,
            rules.Tensor,
            needsTensor ? tensor : null,
            [.. rules.CustomRules],
            [.. rules.ObjectValidators],
            [.. rules.Parts],
            rules.DriftMonitors.Count == 0 ? null : [.. rules.DriftMonitors.Select(static d => (new DriftMonitorRows(d.Monitor), d.Action))],
            context.Instruments,
            context.Logger);
    }
}
