using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Keel.Validation;

/// <summary>
/// Turns a DataAnnotations attribute into a check with Keel's violation shape that agrees with
/// <see cref="Validator"/> on every value: a value <see cref="Validator"/> accepts passes, one it refuses is a
/// violation, and one it cannot interpret (it throws, for example <see cref="OverflowException"/> for
/// <c>"99999999999"</c> under <c>[Range(0, 10)]</c>) is a violation too, never an exception. An attribute that
/// <see cref="Validator"/> would reject for every value (minimum above maximum, a negative length) is refused when
/// it is declared. Required, Range, StringLength, MinLength and MaxLength get Keel's own wording and never print a
/// string's content; any other attribute is asked through <see cref="ValidationAttribute.IsValid(object?)"/> (with a
/// <see cref="ValidationContext"/> when it needs one) and worded by its own error message.
/// </summary>
internal static class AttributeCheck
{
    public static PropertyCheck<T, TProperty> For<T, TProperty>(ValidationAttribute attribute, string name) => attribute switch
    {
        RequiredAttribute required => Required<T, TProperty>(required),
        RangeAttribute { Minimum: int min, Maximum: int max } range => Range<T, TProperty, int>(range, min, max, name),
        RangeAttribute { Minimum: double min, Maximum: double max } range => Range<T, TProperty, double>(range, min, max, name),
        RangeAttribute range => RangeOfOperandType<T, TProperty>(range, name),
        StringLengthAttribute length => StringLength<T, TProperty>(length, name),
        MinLengthAttribute length => MinLength<T, TProperty>(length, name),
        MaxLengthAttribute length => MaxLength<T, TProperty>(length, name),
        _ => Other<T, TProperty>(attribute),
    };

    private static PropertyCheck<T, TProperty> Required<T, TProperty>(RequiredAttribute required) =>
        (T owner, TProperty value, string parent, string name, ref ViolationBuffer violations) =>
        {
            if (value is null || (value is string s && !required.AllowEmptyStrings && string.IsNullOrWhiteSpace(s)))
            {
                violations.Add(new InputViolation($"{parent}.{name}", TensorRules.RequiredRule, "a value", value is null ? "null" : "an empty string"));
                return false;
            }

            return true;
        };

    /// <summary>
    /// <c>[Range(int, int)]</c> and <c>[Range(double, double)]</c>: the value is converted as
    /// <see cref="Convert.ToInt32(object, IFormatProvider)"/> or <see cref="Convert.ToDouble(object, IFormatProvider)"/>
    /// with the invariant culture (so 2.5 becomes 2 under an int range, as in DataAnnotations), then compared with
    /// <see cref="IComparable{T}.CompareTo(T)"/>, honouring <see cref="RangeAttribute.MinimumIsExclusive"/> and
    /// <see cref="RangeAttribute.MaximumIsExclusive"/>. <see langword="null"/> and the empty string pass (they are
    /// <c>[Required]</c>'s); a value that does not convert (text that is not a number, a number beyond the operand
    /// type) is a violation that does not quote it.
    /// </summary>
    private static PropertyCheck<T, TProperty> Range<T, TProperty, TOperand>(RangeAttribute range, TOperand min, TOperand max, string name)
        where TOperand : struct, IComparable<TOperand>, IFormattable
    {
        var order = min.CompareTo(max);
        Declared(order < 0 || (order == 0 && !range.MinimumIsExclusive && !range.MaximumIsExclusive), name, "Range needs a minimum below its maximum (or equal to it, with both ends included)");
        var minimumIsExclusive = range.MinimumIsExclusive;
        var maximumIsExclusive = range.MaximumIsExclusive;
        var interval = FormatInterval(min.ToString(null, CultureInfo.InvariantCulture), max.ToString(null, CultureInfo.InvariantCulture), minimumIsExclusive, maximumIsExclusive);
        return (T owner, TProperty value, string parent, string path, ref ViolationBuffer violations) =>
        {
            if (value is null or string { Length: 0 })
            {
                return true;
            }

            string actual;
            if (TryConvert<TProperty, TOperand>(value, out var number))
            {
                var lower = min.CompareTo(number);
                var upper = max.CompareTo(number);
                if ((minimumIsExclusive ? lower < 0 : lower <= 0) && (maximumIsExclusive ? upper > 0 : upper >= 0))
                {
                    return true;
                }

                actual = number.ToString(null, CultureInfo.InvariantCulture);
            }
            else
            {
                actual = $"a value that is not a {typeof(TOperand).Name} number";
            }

            var at = $"{parent}.{path}";
            violations.Add(new InputViolation(at, TensorRules.RangeRule, $"a value within {interval}", actual, $"{at}: {actual} is outside {interval}"));
            return false;
        };
    }

    /// <summary>
    /// <c>[Range(typeof(decimal), "0", "1")]</c> and the like: the limits are parsed, and values converted, by the
    /// operand type's converter, with the cultures <see cref="RangeAttribute.ParseLimitsInInvariantCulture"/> and
    /// <see cref="RangeAttribute.ConvertValueInInvariantCulture"/> choose. The attribute does that itself; Keel asks
    /// it and turns the exceptions it lets through for a value it cannot convert into violations.
    /// </summary>
    private static PropertyCheck<T, TProperty> RangeOfOperandType<T, TProperty>(RangeAttribute range, string name)
    {
        try
        {
            // Parses the limits and checks them, as the first validation would.
            range.IsValid(null);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or NotSupportedException or OverflowException)
        {
            throw new ArgumentException($"The Range attribute of property '{name}' cannot validate any value: {exception.Message}", exception);
        }

        var interval = FormatInterval(Invariant(range.Minimum), Invariant(range.Maximum), range.MinimumIsExclusive, range.MaximumIsExclusive);
        var operand = range.OperandType.Name;
        return (T owner, TProperty value, string parent, string path, ref ViolationBuffer violations) =>
        {
            if (IsValid(range, value))
            {
                return true;
            }

            var at = $"{parent}.{path}";
            var actual = $"a value outside it, or not a {operand}";
            violations.Add(new InputViolation(at, TensorRules.RangeRule, $"a {operand} within {interval}", actual, $"{at}: {actual}, is outside {interval}"));
            return false;
        };
    }

    /// <summary>
    /// <c>[StringLength]</c> applies to strings only (<see cref="Validator"/> throws for anything else): a property
    /// that cannot hold a string is refused when declared, and any other value it holds is a violation.
    /// </summary>
    private static PropertyCheck<T, TProperty> StringLength<T, TProperty>(StringLengthAttribute length, string name)
    {
        Declared(length.MaximumLength >= 0 && length.MaximumLength >= length.MinimumLength, name, $"StringLength needs 0 <= MinimumLength <= MaximumLength, but was {length.MinimumLength} and {length.MaximumLength}");
        Declared(typeof(TProperty).IsAssignableFrom(typeof(string)), name, $"StringLength applies to strings, but the property is a {typeof(TProperty).Name}");
        return Length<T, TProperty>(length.MinimumLength, length.MaximumLength, name, "StringLength", stringsOnly: true);
    }

    private static PropertyCheck<T, TProperty> MinLength<T, TProperty>(MinLengthAttribute length, string name)
    {
        Declared(length.Length >= 0, name, $"MinLength needs a length of 0 or more, but was {length.Length}");
        return Length<T, TProperty>(length.Length, int.MaxValue, name, "MinLength");
    }

    private static PropertyCheck<T, TProperty> MaxLength<T, TProperty>(MaxLengthAttribute length, string name)
    {
        Declared(length.Length is -1 or > 0, name, $"MaxLength needs a length above 0 (or -1 for no limit), but was {length.Length}");
        return Length<T, TProperty>(0, length.Length == -1 ? int.MaxValue : length.Length, name, "MaxLength");
    }

    /// <summary>
    /// A length check: of a string, of an <see cref="ICollection"/> by its count, of another enumerable by counting it
    /// (DataAnnotations reads a <c>Count</c> property through reflection; the count is the same).
    /// </summary>
    private static PropertyCheck<T, TProperty> Length<T, TProperty>(int min, int max, string name, string attribute, bool stringsOnly = false)
    {
        if (!stringsOnly)
        {
            var type = typeof(TProperty);
            Declared(
                type.IsAssignableFrom(typeof(string)) || typeof(IEnumerable).IsAssignableFrom(type) || !(type.IsValueType || type.IsSealed),
                name,
                $"{attribute} applies to strings and collections, but the property is a {type.Name}");
        }

        var bounds = max == int.MaxValue ? $"at least {min}" : string.Create(CultureInfo.InvariantCulture, $"between {min} and {max}");
        return (T owner, TProperty value, string parent, string path, ref ViolationBuffer violations) =>
        {
            var length = value switch
            {
                null => 0,
                string s => s.Length,
                _ when stringsOnly => -1,
                ICollection c => c.Count,
                IEnumerable e => Count(e),
                _ => -1,
            };
            if (value is null || (length >= 0 && length >= min && length <= max))
            {
                return true;
            }

            var at = $"{parent}.{path}";
            var what = stringsOnly ? "a string" : "a string or a collection";
            violations.Add(length < 0
                ? new InputViolation(at, "length", $"{what} with a length {bounds}", $"not {what}")
                : new InputViolation(
                    at,
                    "length",
                    $"a length {bounds}",
                    length.ToString(CultureInfo.InvariantCulture),
                    string.Create(CultureInfo.InvariantCulture, $"{at}: length {length} is not {bounds}")));
            return false;
        };
    }

    /// <summary>Any other attribute: its own <see cref="ValidationAttribute.IsValid(object?)"/> and error message.</summary>
    private static PropertyCheck<T, TProperty> Other<T, TProperty>(ValidationAttribute attribute) =>
        (T owner, TProperty value, string parent, string name, ref ViolationBuffer violations) =>
        {
            bool valid;
            try
            {
                valid = attribute.RequiresValidationContext
                    ? attribute.GetValidationResult(value, new ValidationContext(owner!, name, null, null) { MemberName = name }) == ValidationResult.Success
                    : attribute.IsValid(value);
            }
            catch (Exception exception) when (IsAboutTheValue(exception))
            {
                valid = false;
            }

            if (!valid)
            {
                var path = $"{parent}.{name}";
                var rule = attribute.GetType().Name.Replace("Attribute", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
                violations.Add(new InputViolation(path, rule, rule, "invalid", $"{path}: {attribute.FormatErrorMessage(path)}"));
            }

            return valid;
        };

    private static bool IsValid<TProperty>(RangeAttribute range, TProperty value)
    {
        try
        {
            return range.IsValid(value);
        }
        catch (Exception exception) when (IsAboutTheValue(exception))
        {
            return false;
        }
    }

    /// <summary>The exceptions an attribute throws for a value it cannot interpret (never for its own configuration, which is checked when declared).</summary>
    private static bool IsAboutTheValue(Exception exception) =>
        exception is FormatException or InvalidCastException or OverflowException or ArgumentException or NotSupportedException;

    /// <summary>Converts a value the way <see cref="RangeAttribute"/> does for an int or double range; false where it would refuse or throw. No boxing for the common types.</summary>
    private static bool TryConvert<TProperty, TOperand>(TProperty value, out TOperand result)
        where TOperand : struct
    {
        bool converted;
        if (typeof(TOperand) == typeof(int))
        {
            converted = TryToInt32(value, out var number);
            result = Unsafe.As<int, TOperand>(ref number);
        }
        else
        {
            converted = TryToDouble(value, out var number);
            result = Unsafe.As<double, TOperand>(ref number);
        }

        return converted;
    }

    private static bool TryToInt32<TProperty>(TProperty value, out int result)
    {
        switch (value)
        {
            case int i:
                result = i;
                return true;
            case long l when l is >= int.MinValue and <= int.MaxValue:
                result = (int)l;
                return true;
            case long:
                result = 0;
                return false;
            case string s:
                return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
            case double d:
                // Convert.ToInt32(double): rounded to even, OverflowException outside Int32.
                var rounded = Math.Round(d, MidpointRounding.ToEven);
                result = rounded is >= int.MinValue and <= int.MaxValue ? (int)rounded : 0;
                return rounded is >= int.MinValue and <= int.MaxValue;
            default:
                return TryConvertible(value, static (c, p) => c.ToInt32(p), out result);
        }
    }

    private static bool TryToDouble<TProperty>(TProperty value, out double result)
    {
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case float f:
                result = f;
                return true;
            case int i:
                result = i;
                return true;
            case long l:
                result = l;
                return true;
            case string s:
                return double.TryParse(s, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out result);
            default:
                return TryConvertible(value, static (c, p) => c.ToDouble(p), out result);
        }
    }

    /// <summary>The rare types: through <see cref="IConvertible"/>, as <see cref="Convert"/> does; false where it throws.</summary>
    private static bool TryConvertible<TProperty, TOperand>(TProperty value, Func<IConvertible, IFormatProvider, TOperand> convert, out TOperand result)
    {
        try
        {
            if (value is IConvertible convertible)
            {
                result = convert(convertible, CultureInfo.InvariantCulture);
                return true;
            }
        }
        catch (Exception exception) when (IsAboutTheValue(exception))
        {
        }

        result = default!;
        return false;
    }

    private static int Count(IEnumerable items)
    {
        var count = 0;
        var enumerator = items.GetEnumerator();
        try
        {
            while (enumerator.MoveNext())
            {
                count++;
            }
        }
        finally
        {
            (enumerator as IDisposable)?.Dispose();
        }

        return count;
    }

    private static string Invariant(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string FormatInterval(string min, string max, bool minimumIsExclusive, bool maximumIsExclusive) =>
        $"{(minimumIsExclusive ? "(" : "[")}{min}, {max}{(maximumIsExclusive ? ")" : "]")}";

    /// <summary>Refuses a declaration that <see cref="Validator"/> would reject for every value.</summary>
    private static void Declared(bool valid, string name, string problem)
    {
        if (!valid)
        {
            throw new ArgumentException($"The attributes of property '{name}' cannot validate any value: {problem}.");
        }
    }
}
