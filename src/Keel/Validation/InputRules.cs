using System.Globalization;

namespace Keel.Validation;

/// <summary>
/// The rules of a pipeline's input, given to <c>UseValidation</c>: <c>v =&gt; v.Shape(1, 64).Finite().Within(0, 1)</c>.
/// Rules (shape, finite, range, not-empty, max-elements, custom) reject a call with
/// <see cref="InputValidationException"/>; expectations and drift act as configured (<see cref="AnomalyAction"/>).
/// </summary>
/// <typeparam name="TInput">The pipeline's input.</typeparam>
public sealed class InputRules<TInput>
{
    private readonly List<string> _errors = [];

    internal InputRules(string parameter)
    {
        Parameter = parameter;
    }

    /// <summary>Gets the parameter's name in messages, for example <c>features</c>.</summary>
    public string Parameter { get; }

    internal TensorRules Tensor { get; } = new();

    internal List<(string Rule, Func<TInput, string?> Check)> CustomRules { get; } = [];

    internal List<(DriftMonitor Monitor, AnomalyAction Action)> DriftMonitors { get; } = [];

    internal IReadOnlyList<string> Errors => _errors;

    internal List<ObjectValidator<TInput>> ObjectValidators { get; } = [];

    /// <summary>Gets the rules of the input's parts, one per parameter of a method with several (<see cref="ForParameter{TPart}"/>).</summary>
    internal List<IInputPart<TInput>> Parts { get; } = [];

    /// <summary>
    /// Gets or sets how the tensor rules read the input when Keel does not know its type itself; Keel.Onnx sets it
    /// for <c>DenseTensor&lt;T&gt;</c> and <c>OrtValue</c>.
    /// </summary>
    internal TensorInput<TInput>? TensorAccess { get; set; }

    /// <summary>Records a problem found while the rules were declared, reported when the pipeline is built.</summary>
    internal void AddError(string error) => _errors.Add(error);

    /// <summary>
    /// Requires the input's shape: its rank and each dimension's length, <c>-1</c> for any length, for example
    /// <c>Shape(-1, 64)</c> for a batch of 64-feature rows.
    /// </summary>
    /// <param name="lengths">The length of each dimension, or -1.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Shape(params int[] lengths)
    {
        if (lengths is null || lengths.Length == 0 || lengths.Any(static l => l < -1))
        {
            _errors.Add($"Shape needs at least one dimension, each a length of 0 or more or -1 for any, but was {(lengths is null ? "null" : TensorRules.FormatShape(lengths))}.");
            return this;
        }

        Tensor.Shape = [.. lengths];
        return this;
    }

    /// <summary>Requires every element to be a finite number: no NaN, no infinity (floating-point inputs).</summary>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Finite()
    {
        Tensor.Finite = true;
        return this;
    }

    /// <summary>Requires every element to be within <paramref name="min"/> and <paramref name="max"/>, both included.</summary>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Within(double min, double max)
    {
        if (!ValidRange(min, max, nameof(Within)))
        {
            return this;
        }

        Tensor.Within = (min, max);
        return this;
    }

    /// <summary>Requires at least one element.</summary>
    /// <returns>These rules.</returns>
    public InputRules<TInput> NotEmpty()
    {
        Tensor.NotEmpty = true;
        return this;
    }

    /// <summary>
    /// Caps the number of elements, a guard against denial of service: the declared lengths are checked before
    /// anything reads the data, and an input over the cap is refused without being read.
    /// </summary>
    /// <param name="maxElements">The most elements allowed.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> MaxElements(long maxElements)
    {
        if (maxElements < 1)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"MaxElements must be at least 1, but was {maxElements}."));
            return this;
        }

        Tensor.MaxElements = maxElements;
        return this;
    }

    /// <summary>
    /// Expects every element, or one feature (an index of the last dimension), to usually lie within a range; a
    /// value outside it is an anomaly handled by <paramref name="action"/> — the "feature that ranges in [0, 1]
    /// receives 500" case.
    /// </summary>
    /// <param name="min">The smallest expected value.</param>
    /// <param name="max">The largest expected value.</param>
    /// <param name="action">What an anomaly does: reject, warn, or only count.</param>
    /// <param name="feature">The feature's index along the last dimension, or <see langword="null"/> for every element.</param>
    /// <param name="featureName">The feature's name in messages, for example <c>amount</c>.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Expect(double min, double max, AnomalyAction action, int? feature = null, string? featureName = null)
    {
        if (!ValidRange(min, max, nameof(Expect)))
        {
            return this;
        }

        if (!Enum.IsDefined(action))
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"Expect needs an action of Block, Warn or Observe, but was {(int)action}."));
            return this;
        }

        if (feature < 0)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"Expect needs a feature index of 0 or more, but was {feature}."));
            return this;
        }

        Tensor.Expectations.Add(new TensorRules.Expectation(min, max, feature, featureName, action));
        return this;
    }

    /// <summary>
    /// Watches the input's features for drift from a training profile: each row (along the last dimension) of a
    /// <see cref="float"/> input is added to a <see cref="DriftMonitor"/>, whose per-feature index is reported as the
    /// <c>keel.input.drift</c> gauge and logged above its threshold. With <see cref="AnomalyAction.Block"/>, calls are
    /// rejected while a feature's index is above the threshold.
    /// </summary>
    /// <param name="monitor">The monitor; share one across pipelines of the same model to pool their windows.</param>
    /// <param name="action">What drift above the threshold does.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Drift(DriftMonitor monitor, AnomalyAction action = AnomalyAction.Warn)
    {
        if (monitor is null)
        {
            _errors.Add("Drift needs a monitor, but was null.");
            return this;
        }

        DriftMonitors.Add((monitor, action));
        return this;
    }

    /// <summary>
    /// Validates a record or other object by its DataAnnotations attributes, nested objects and collections, as
    /// declared in <paramref name="validator"/>; paths in violations start at the parameter's name, for example
    /// <c>transaction.Amount: 500 is outside [0, 1]</c>.
    /// </summary>
    /// <param name="validator">The object's validator from <see cref="ObjectValidator.Create{T}(Action{ObjectRules{T}})"/>.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Object(ObjectValidator<TInput> validator)
    {
        if (validator is null)
        {
            _errors.Add("Object needs a validator, but was null.");
            return this;
        }

        ObjectValidators.Add(validator);
        return this;
    }

    /// <summary>Adds a rule of your own: <paramref name="check"/> returns what is wrong, or <see langword="null"/> when the input passes.</summary>
    /// <param name="rule">The rule's name in messages and telemetry, for example <c>sorted</c>.</param>
    /// <param name="check">The check; it must not throw.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> Must(string rule, Func<TInput, string?> check)
    {
        if (string.IsNullOrWhiteSpace(rule) || check is null)
        {
            _errors.Add($"Must needs a rule name and a check, but was rule '{rule}' and check {(check is null ? "null" : "set")}.");
            return this;
        }

        CustomRules.Add((rule, check));
        return this;
    }

    private bool ValidRange(double min, double max, string method)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{method} needs min <= max, neither NaN, but was [{min}, {max}]."));
            return false;
        }

        return true;
    }

    /// <summary>
    /// Declares the rules of one part of the input, named in messages: for a method with several parameters, whose
    /// input is a value tuple (or a generated struct) of the arguments, each parameter gets its own rules, and every
    /// violation of every parameter is reported in the one <see cref="InputValidationException"/>, for example
    /// <c>v =&gt; v.ForParameter("features", static i =&gt; i.Item1, p =&gt; p.Shape(64).Finite())
    /// .ForParameter("mask", static i =&gt; i.Item2, p =&gt; p.MaxElements(64))</c>.
    /// </summary>
    /// <typeparam name="TPart">The part's type.</typeparam>
    /// <param name="name">The part's name in violations, for example <c>features</c>.</param>
    /// <param name="select">Reads the part from the input; called for every call, so it must not allocate.</param>
    /// <param name="configure">Declares the part's rules; called once, when the pipeline is built.</param>
    /// <returns>These rules.</returns>
    public InputRules<TInput> ForParameter<TPart>(string name, Func<TInput, TPart> select, Action<InputRules<TPart>> configure)
    {
        if (string.IsNullOrWhiteSpace(name) || select is null || configure is null)
        {
            _errors.Add($"ForParameter needs a name, a selector and rules, but was name '{name}', selector {(select is null ? "null" : "set")} and rules {(configure is null ? "null" : "set")}.");
            return this;
        }

        var rules = new InputRules<TPart>(name);
        configure(rules);
        foreach (var error in rules.Errors)
        {
            _errors.Add($"parameter '{name}': {error}");
        }

        Parts.Add(new InputPart<TInput, TPart>(select, rules));
        return this;
    }
}
