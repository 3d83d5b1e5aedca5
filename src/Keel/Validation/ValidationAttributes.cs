namespace Keel;

/// <summary>
/// Validates the method's parameters by their rule attributes (<see cref="ShapeAttribute"/>, <see cref="FiniteAttribute"/>,
/// <see cref="WithinAttribute"/>, <see cref="NotEmptyAttribute"/>, <see cref="MaxElementsAttribute"/>) before the
/// method runs. The source generator compiles it into the method's wrapper, the same checks as <c>UseValidation</c>.
/// </summary>
/// <example>
/// <code>
/// [ValidateInput]
/// public ValueTask&lt;float&gt; ScoreAsync([Shape(64), Finite, Within(0, 1)] float[] features, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ValidateInputAttribute : Attribute;

/// <summary>Requires a tensor parameter's shape: each dimension's length, -1 for any.</summary>
/// <param name="lengths">The length of each dimension, or -1.</param>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ShapeAttribute(params int[] lengths) : Attribute
{
    /// <summary>Gets the length of each dimension, -1 for any.</summary>
    public IReadOnlyList<int> Lengths { get; } = lengths;
}

/// <summary>Requires every element of a floating-point tensor parameter to be finite: no NaN, no infinity.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class FiniteAttribute : Attribute;

/// <summary>Requires every element of a tensor parameter to lie within a range, both ends included.</summary>
/// <param name="min">The smallest allowed value.</param>
/// <param name="max">The largest allowed value.</param>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class WithinAttribute(double min, double max) : Attribute
{
    /// <summary>Gets the smallest allowed value.</summary>
    public double Min { get; } = min;

    /// <summary>Gets the largest allowed value.</summary>
    public double Max { get; } = max;
}

/// <summary>Requires a tensor parameter to have at least one element.</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NotEmptyAttribute : Attribute;

/// <summary>Caps a tensor parameter's number of elements, checked from its declared lengths before its data is read.</summary>
/// <param name="maxElements">The most elements allowed.</param>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class MaxElementsAttribute(long maxElements) : Attribute
{
    /// <summary>Gets the most elements allowed.</summary>
    public long MaxElements { get; } = maxElements;
}
