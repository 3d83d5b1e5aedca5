using System.Globalization;

namespace Keel.Validation;

/// <summary>The tensor rules of one parameter, collected by <c>InputRules</c> and read by the checker.</summary>
internal sealed class TensorRules
{
    public const string ShapeRule = "shape";
    public const string FiniteRule = "finite";
    public const string RangeRule = "range";
    public const string NotEmptyRule = "not-empty";
    public const string MaxElementsRule = "max-elements";
    public const string RequiredRule = "required";
    public const string ExpectationRule = "expectation";
    public const string DriftRule = "drift";

    public int[]? Shape { get; set; }

    public bool Finite { get; set; }

    public (double Min, double Max)? Within { get; set; }

    public bool NotEmpty { get; set; }

    public long? MaxElements { get; set; }

    public List<Expectation> Expectations { get; } = [];

    public bool HasElementRules => Finite || Within is not null || Expectations.Count > 0;

    /// <summary>
    /// Gets or sets the ranges converted to the element type, built once (at build, or at the first check) by
    /// <c>TensorChecker&lt;T&gt;</c>; a rules object is only ever checked against one element type.
    /// </summary>
    public object? ElementRanges { get; set; }

    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i] == -1 ? "*" : shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(',', parts)}]";
    }

    public static string FormatLengths(ReadOnlySpan<nint> lengths)
    {
        var parts = new string[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            parts[i] = lengths[i].ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(',', parts)}]";
    }

    public static string FormatRange(double min, double max) =>
        string.Create(CultureInfo.InvariantCulture, $"[{min}, {max}]");

    /// <summary>An expected range for one feature (an index of the last dimension) or for every element.</summary>
    /// <param name="Min">The smallest expected value.</param>
    /// <param name="Max">The largest expected value.</param>
    /// <param name="Feature">The index along the last dimension, or <see langword="null"/> for every element.</param>
    /// <param name="FeatureName">The feature's name in messages and telemetry.</param>
    /// <param name="Action">What a value outside the range does.</param>
    public sealed record Expectation(double Min, double Max, int? Feature, string? FeatureName, AnomalyAction Action);
}
