using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace Keel.Validation;

/// <summary>
/// Checks a tensor's lengths and elements against <see cref="TensorRules"/>. Sizes are checked first, from the
/// declared lengths alone, so a huge declared size is refused before anything reads the data; element checks run
/// vectorised over the whole span with <see cref="TensorPrimitives"/>, and only a failure scans for the first
/// offending index and the count. The passing path allocates nothing.
/// </summary>
internal static class TensorChecker<T>
    where T : unmanaged, INumber<T>
{
    private static readonly bool s_isFloatingPoint = typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);

    /// <summary>Checks the sizes; returns <see langword="false"/> when the data must not be read.</summary>
    public static bool CheckSizes(TensorRules rules, ReadOnlySpan<nint> lengths, string parameter, ref ViolationBuffer violations)
    {
        long count = 1;
        foreach (var length in lengths)
        {
            count = length < 0 || count > long.MaxValue / Math.Max(1, length) ? long.MaxValue : count * length;
        }

        var readable = true;
        if (rules.MaxElements is { } max && count > max)
        {
            violations.Add(new InputViolation(parameter, TensorRules.MaxElementsRule, $"at most {max} elements", Count(count)));
            readable = false;
        }

        if (rules.Shape is { } shape && !Matches(shape, lengths))
        {
            violations.Add(new InputViolation(parameter, TensorRules.ShapeRule, $"shape {TensorRules.FormatShape(shape)}", TensorRules.FormatLengths(lengths)));
        }

        if (rules.NotEmpty && count == 0)
        {
            violations.Add(new InputViolation(parameter, TensorRules.NotEmptyRule, "at least one element", "none"));
            readable = false;
        }

        if (readable && rules.HasElementRules && count > Array.MaxLength)
        {
            // A view (broadcast strides) can declare more elements than one array holds; its elements cannot be read.
            violations.Add(new InputViolation(parameter, TensorRules.MaxElementsRule, string.Create(CultureInfo.InvariantCulture, $"at most {Array.MaxLength} elements (the most one check can read)"), Count(count)));
            readable = false;
        }

        return readable;
    }

    /// <summary>Checks the elements: finiteness, the range and the expectations.</summary>
    public static void CheckElements(TensorRules rules, ReadOnlySpan<T> data, ReadOnlySpan<nint> lengths, string parameter, ref ViolationBuffer violations, ref AnomalyBuffer anomalies)
    {
        if (data.IsEmpty)
        {
            // Nothing to check (TensorPrimitives' "all" predicates answer false for an empty span).
            return;
        }

        var ranges = RangesOf(rules);
        var within = ranges.Within;

        // The common case, in one vectorised pass: every element within finite bounds is also finite (NaN and the
        // infinities compare outside them), so both rules pass at once. Anything else takes the rule-by-rule path,
        // which also finds what to report.
        var passedInOnePass = within is { } bounds && T.IsFinite(bounds.Min) && T.IsFinite(bounds.Max) && AllWithinFiniteBounds(data, bounds.Min, bounds.Max);

        // Whether a NaN may still be in the data: not once the finite rule has checked every element.
        var mayHoldNaN = s_isFloatingPoint && !passedInOnePass;
        if (rules.Finite && s_isFloatingPoint && !passedInOnePass)
        {
            mayHoldNaN = !TensorPrimitives.IsFiniteAll(data);
            if (mayHoldNaN)
            {
                var first = -1;
                var bad = 0;
                for (var i = 0; i < data.Length; i++)
                {
                    if (!T.IsFinite(data[i]))
                    {
                        first = first < 0 ? i : first;
                        bad++;
                    }
                }

                violations.Add(new InputViolation(
                    Path(parameter, first, lengths),
                    TensorRules.FiniteRule,
                    "a finite number",
                    Format(data[first]),
                    $"{Path(parameter, first, lengths)}: {Format(data[first])} is not finite{Others(bad, "non-finite values")}"));
            }
        }

        if (!passedInOnePass && within is { } withinRange && !AllWithin(data, withinRange, skipNaN: rules.Finite && mayHoldNaN))
        {
            var (first, bad) = FindOutside(data, withinRange, skipNaN: rules.Finite, feature: null, lengths);
            var range = withinRange.ToString();
            violations.Add(new InputViolation(
                Path(parameter, first, lengths),
                TensorRules.RangeRule,
                $"a value within {range}",
                Format(data[first]),
                $"{Path(parameter, first, lengths)}: {Format(data[first])} is outside {range}{Others(bad, "values outside")}"));
        }

        for (var e = 0; e < rules.Expectations.Count; e++)
        {
            var expectation = rules.Expectations[e];
            var expected = ranges.Expectations[e];
            var features = lengths.IsEmpty ? data.Length : (int)lengths[^1];
            if (expectation.Feature is { } feature && (feature >= features || features == 0))
            {
                continue;
            }

            var (first, bad) = expectation.Feature is null && AllWithin(data, expected, skipNaN: false)
                ? (-1, 0)
                : FindOutside(data, expected, skipNaN: false, expectation.Feature, lengths);
            if (first < 0)
            {
                continue;
            }

            var range = expected.ToString();
            var path = Path(parameter, first, lengths);
            var subject = expectation.FeatureName is { } name ? $"{path} ({name})" : path;
            anomalies.Add(expectation, new InputViolation(
                path,
                TensorRules.ExpectationRule,
                $"usually within {range}",
                Format(data[first]),
                $"{subject}: {Format(data[first])} is outside its expected range {range}{Others(bad, "values outside")}"));
        }
    }

    /// <summary>
    /// Converts the rules' ranges to <typeparamref name="T"/> once, so that elements are compared in their own type
    /// (a <see cref="long"/> above 2^53 is not rounded to a <see cref="double"/>, <c>0.1f</c> is within [0, 0.1]).
    /// </summary>
    /// <returns>A problem with the ranges for this element type (a range that holds no value of it), or <see langword="null"/>.</returns>
    public static string? Prepare(TensorRules rules)
    {
        var ranges = RangesOf(rules);
        if (ranges.Within is { IsEmpty: true } within && rules.Within is (var min, var max))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Within({min}, {max}) holds no {typeof(T).Name} value (compared as {typeof(T).Name}, the range is {within}).");
        }

        return null;
    }

    private static ElementRanges RangesOf(TensorRules rules)
    {
        if (rules.ElementRanges is ElementRanges ranges)
        {
            return ranges;
        }

        ElementRange? within = rules.Within is (var min, var max) ? ElementRange.From(min, max) : null;
        var expectations = new ElementRange[rules.Expectations.Count];
        for (var i = 0; i < expectations.Length; i++)
        {
            expectations[i] = ElementRange.From(rules.Expectations[i].Min, rules.Expectations[i].Max);
        }

        ranges = new ElementRanges(within, expectations);
        rules.ElementRanges = ranges;
        return ranges;
    }

    private static bool Matches(int[] shape, ReadOnlySpan<nint> lengths)
    {
        if (shape.Length != lengths.Length)
        {
            return false;
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] >= 0 && shape[i] != lengths[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Returns whether every element is within <paramref name="min"/> and <paramref name="max"/>, both finite, with
    /// <see cref="Vector{T}"/> compares where the hardware has them. A NaN compares outside any range, so it fails.
    /// </summary>
    private static bool AllWithinFiniteBounds(ReadOnlySpan<T> data, T min, T max)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && data.Length >= Vector<T>.Count)
        {
            var low = new Vector<T>(min);
            var high = new Vector<T>(max);
            for (; i <= data.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var values = new Vector<T>(data[i..]);
                if (!Vector.GreaterThanOrEqualAll(values, low) || !Vector.LessThanOrEqualAll(values, high))
                {
                    return false;
                }
            }
        }

        for (; i < data.Length; i++)
        {
            if (!(data[i] >= min && data[i] <= max))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllWithin(ReadOnlySpan<T> data, ElementRange range, bool skipNaN)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        if (skipNaN && s_isFloatingPoint && TensorPrimitives.IsNaNAny(data))
        {
            // NaN is the finite rule's to report; compare the rest one by one (a failure path already).
            return FindOutside(data, range, skipNaN: true, feature: null, default).First < 0;
        }

        // Min and Max propagate NaN, so a NaN fails the comparison below and is reported as outside.
        return range.Contains(TensorPrimitives.Min(data)) && range.Contains(TensorPrimitives.Max(data));
    }

    private static (int First, int Count) FindOutside(ReadOnlySpan<T> data, ElementRange range, bool skipNaN, int? feature, ReadOnlySpan<nint> lengths)
    {
        var stride = feature is null ? 1 : (lengths.IsEmpty ? data.Length : (int)lengths[^1]);
        var start = feature ?? 0;
        var first = -1;
        var count = 0;
        for (var i = start; i < data.Length; i += stride)
        {
            var value = data[i];
            if (T.IsNaN(value) ? !skipNaN : !range.Contains(value))
            {
                first = first < 0 ? i : first;
                count++;
            }
        }

        return (first, count);
    }

    private static string Path(string parameter, int flatIndex, ReadOnlySpan<nint> lengths)
    {
        if (lengths.Length <= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{parameter}[{flatIndex}]");
        }

        // Any rank is possible (a Tensor<T> of rank 1,000): only a small index lives on the stack.
        Span<long> index = lengths.Length <= 16 ? stackalloc long[lengths.Length] : new long[lengths.Length];
        long remainder = flatIndex;
        for (var d = lengths.Length - 1; d >= 0; d--)
        {
            index[d] = remainder % lengths[d];
            remainder /= lengths[d];
        }

        var parts = new string[lengths.Length];
        for (var d = 0; d < parts.Length; d++)
        {
            parts[d] = index[d].ToString(CultureInfo.InvariantCulture);
        }

        return $"{parameter}[{string.Join(',', parts)}]";
    }

    private static string Format(T value) => value switch
    {
        float f => f.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        Half h => ((float)h).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString(null, CultureInfo.InvariantCulture),
    };

    private static string Count(long count) => count == long.MaxValue ? "more than 9223372036854775807 (overflow)" : count.ToString(CultureInfo.InvariantCulture);

    private static string Others(int total, string what) =>
        total > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({total} {what} in all)") : string.Empty;

    /// <summary>
    /// A range in the element type. Integer elements: the smallest integer at or above the lower bound up to the
    /// largest at or below the upper bound, so the same integers pass as with exact comparison. Floating-point
    /// elements: each bound rounded to the nearest value of the type (0.1 becomes 0.1f), a finite bound beyond the
    /// type's range becoming its largest finite value, so infinity stays outside a finite range.
    /// </summary>
    private readonly struct ElementRange(T min, T max)
    {
        public T Min { get; } = min;

        public T Max { get; } = max;

        public bool IsEmpty => Min > Max;

        public static ElementRange From(double min, double max) => new(ToElement(min, lower: true), ToElement(max, lower: false));

        /// <summary>Whether <paramref name="value"/> is within the range; NaN never is.</summary>
        public bool Contains(T value) => value >= Min && value <= Max;

        public override string ToString() => $"[{Format(Min)}, {Format(Max)}]";

        private static T ToElement(double bound, bool lower)
        {
            if (!s_isFloatingPoint)
            {
                return T.CreateSaturating(lower ? Math.Ceiling(bound) : Math.Floor(bound));
            }

            var value = T.CreateSaturating(bound);
            return T.IsInfinity(value) && double.IsFinite(bound) ? (bound < 0 ? -LargestFinite() : LargestFinite()) : value;
        }

        private static T LargestFinite() =>
            typeof(T) == typeof(float) ? T.CreateTruncating(float.MaxValue)
            : typeof(T) == typeof(Half) ? T.CreateTruncating((double)Half.MaxValue)
            : T.CreateTruncating(double.MaxValue);
    }

    private sealed class ElementRanges(ElementRange? within, ElementRange[] expectations)
    {
        public ElementRange? Within { get; } = within;

        public ElementRange[] Expectations { get; } = expectations;
    }
}
