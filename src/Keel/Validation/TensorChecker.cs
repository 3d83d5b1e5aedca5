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

        if (rules.Finite && s_isFloatingPoint && !TensorPrimitives.IsFiniteAll(data))
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

        if (rules.Within is { } within && !AllWithin(data, within.Min, within.Max, skipNaN: rules.Finite))
        {
            var (first, bad) = FindOutside(data, within.Min, within.Max, skipNaN: rules.Finite, feature: null, lengths);
            var range = TensorRules.FormatRange(within.Min, within.Max);
            violations.Add(new InputViolation(
                Path(parameter, first, lengths),
                TensorRules.RangeRule,
                $"a value within {range}",
                Format(data[first]),
                $"{Path(parameter, first, lengths)}: {Format(data[first])} is outside {range}{Others(bad, "values outside")}"));
        }

        foreach (var expectation in rules.Expectations)
        {
            var features = lengths.IsEmpty ? data.Length : (int)lengths[^1];
            if (expectation.Feature is { } feature && (feature >= features || features == 0))
            {
                continue;
            }

            var (first, bad) = expectation.Feature is null && AllWithin(data, expectation.Min, expectation.Max, skipNaN: false)
                ? (-1, 0)
                : FindOutside(data, expectation.Min, expectation.Max, skipNaN: false, expectation.Feature, lengths);
            if (first < 0)
            {
                continue;
            }

            var range = TensorRules.FormatRange(expectation.Min, expectation.Max);
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

    private static bool AllWithin(ReadOnlySpan<T> data, double min, double max, bool skipNaN)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        if (skipNaN && s_isFloatingPoint && TensorPrimitives.IsNaNAny(data))
        {
            // NaN is the finite rule's to report; compare the rest one by one (a failure path already).
            return FindOutside(data, min, max, skipNaN: true, feature: null, default).First < 0;
        }

        // Min and Max propagate NaN, so a NaN fails the comparison below and is reported as outside.
        var lowest = double.CreateTruncating(TensorPrimitives.Min(data));
        var highest = double.CreateTruncating(TensorPrimitives.Max(data));
        return lowest >= min && highest <= max;
    }

    private static (int First, int Count) FindOutside(ReadOnlySpan<T> data, double min, double max, bool skipNaN, int? feature, ReadOnlySpan<nint> lengths)
    {
        var stride = feature is null ? 1 : (lengths.IsEmpty ? data.Length : (int)lengths[^1]);
        var start = feature ?? 0;
        var first = -1;
        var count = 0;
        for (var i = start; i < data.Length; i += stride)
        {
            var value = double.CreateTruncating(data[i]);
            if (double.IsNaN(value) ? !skipNaN : value < min || value > max)
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

        Span<long> index = stackalloc long[lengths.Length];
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
}
