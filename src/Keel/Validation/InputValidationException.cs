namespace Keel;

/// <summary>
/// Thrown when a call's input breaks one or more validation rules. It lists every violation, not just the first, so
/// a caller can fix a request in one round trip. It is never retried; over HTTP it maps to 422 problem+json.
/// </summary>
public sealed class InputValidationException : InferenceRefusedException
{
    /// <summary>Initializes a new instance of the <see cref="InputValidationException"/> class.</summary>
    /// <param name="violations">Every violation found; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="violations"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="violations"/> is empty or holds <see langword="null"/>.</exception>
    public InputValidationException(IEnumerable<InputViolation> violations)
        : this(Snapshot(violations))
    {
    }

    private InputValidationException(InputViolation[] violations)
        : base(FormatMessage(violations))
    {
        Violations = violations;
        Description = FormatDescription(violations);
    }

    /// <summary>Gets every violation, in the order they were found.</summary>
    public IReadOnlyList<InputViolation> Violations { get; }

    /// <summary>
    /// Gets a description that carries no input value: each violation's parameter (with its index) and rule, for
    /// example <c>The input is invalid: features[1] broke rule 'range'.</c> Logs above Trace and span statuses use it;
    /// <see cref="Exception.Message"/> quotes the values and is meant for the caller who sent them (the 422 body).
    /// </summary>
    public string Description { get; }

    /// <summary>Gets <see cref="Monitoring.KeelOutcomes.Invalid"/>.</summary>
    public override string Outcome => Monitoring.KeelOutcomes.Invalid;

    private static InputViolation[] Snapshot(IEnumerable<InputViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var array = violations.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("At least one violation is required, but the sequence was empty.", nameof(violations));
        }

        if (Array.IndexOf(array, null) is var index and >= 0)
        {
            throw new ArgumentException($"Violations must not be null, but the one at index {index} was.", nameof(violations));
        }

        return array;
    }

    private static string FormatDescription(InputViolation[] violations) =>
        violations.Length == 1
            ? $"The input is invalid: {violations[0].Description}."
            : $"The input is invalid ({violations.Length} violations): {string.Join("; ", violations.Select(static v => v.Description))}.";

    private static string FormatMessage(InputViolation[] violations) =>
        violations.Length == 1
            ? $"The input is invalid: {violations[0].Message}"
            : $"The input is invalid ({violations.Length} violations): {string.Join("; ", violations.Select(static v => v.Message))}";
}

/// <summary>One broken validation rule: which parameter, which rule, what was expected and what was found.</summary>
public sealed class InputViolation
{
    /// <summary>Initializes a new instance of the <see cref="InputViolation"/> class.</summary>
    /// <param name="parameter">The path of the offending value, for example <c>features</c>, <c>features[17]</c> or <c>transaction.Amount</c>.</param>
    /// <param name="rule">The rule's name, for example <c>shape</c>, <c>finite</c> or <c>range</c>.</param>
    /// <param name="expected">What the rule expects, for example <c>shape [1,224,224,3]</c>.</param>
    /// <param name="actual">What was found, for example <c>[1,3,224,224]</c>.</param>
    /// <param name="message">The sentence shown to people; by default <c>"{parameter}: expected {expected}, got {actual}"</c>.</param>
    /// <exception cref="ArgumentException">A required argument is <see langword="null"/>, empty or white space.</exception>
    public InputViolation(string parameter, string rule, string expected, string actual, string? message = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Parameter = parameter;
        Rule = rule;
        Expected = expected;
        Actual = actual;
        Message = message ?? $"{parameter}: expected {expected}, got {actual}";
    }

    /// <summary>Gets the path of the offending value.</summary>
    public string Parameter { get; }

    /// <summary>Gets the rule's name.</summary>
    public string Rule { get; }

    /// <summary>Gets what the rule expects.</summary>
    public string Expected { get; }

    /// <summary>Gets what was found.</summary>
    public string Actual { get; }

    /// <summary>Gets the sentence shown to people; it may quote the input's values, so it is for the caller who sent them.</summary>
    public string Message { get; }

    /// <summary>
    /// Gets a description that carries no input value, only the parameter (with its index) and the rule, for
    /// example <c>features[1] broke rule 'range'</c>: what logs above Trace and span statuses may say.
    /// </summary>
    public string Description => $"{Parameter} broke rule '{Rule}'";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
