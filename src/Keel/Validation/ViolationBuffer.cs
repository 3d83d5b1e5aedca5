namespace Keel.Validation;

/// <summary>Collects violations; allocates only when the first one is added, so a passing call allocates nothing.</summary>
internal struct ViolationBuffer
{
    private List<InputViolation>? _items;

    public readonly bool HasAny => _items is { Count: > 0 };

    public readonly IReadOnlyList<InputViolation> Items => _items ?? (IReadOnlyList<InputViolation>)[];

    public void Add(InputViolation violation) => (_items ??= []).Add(violation);
}

/// <summary>Collects broken expectations with their actions; allocates only when the first one is added.</summary>
internal struct AnomalyBuffer
{
    private List<(TensorRules.Expectation Expectation, InputViolation Violation)>? _items;

    public readonly bool HasAny => _items is { Count: > 0 };

    public readonly IReadOnlyList<(TensorRules.Expectation Expectation, InputViolation Violation)> Items =>
        _items ?? (IReadOnlyList<(TensorRules.Expectation, InputViolation)>)[];

    public void Add(TensorRules.Expectation expectation, InputViolation violation) => (_items ??= []).Add((expectation, violation));
}
