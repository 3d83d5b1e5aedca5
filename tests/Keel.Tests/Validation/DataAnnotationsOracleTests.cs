using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Keel.Validation;

namespace Keel.Tests.Validation;

/// <summary>
/// Keel's record validation against <see cref="Validator"/> as the oracle: for every attribute Keel interprets itself,
/// 1,000 random attribute configurations, values and cultures each. Where <see cref="Validator"/> answers, Keel gives
/// the same answer (and reports the same attributes); where it throws for a value it cannot interpret, Keel reports a
/// violation and throws nothing; where it throws for every value (a misconfigured attribute), Keel refuses the
/// declaration.
/// </summary>
public class DataAnnotationsOracleTests
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    private static readonly string[] s_cultures = ["", "en-US", "de-DE", "fr-FR", "hi-IN"];

    /// <summary>Text a client could send: numbers in several cultures and styles, hex, card numbers, garbage, blanks.</summary>
    private static readonly Gen<string> s_text = Gen.OneOf(
        Gen.Elements("", " ", "  ", "abc", "4111 1111 1111 1111", "4111111111111111", "NaN", "Infinity", "-Infinity", "1e400", "1,000", "1.000", "1.5", "1,5",
            "0x1F", "&h10", "#10", " 7 ", "+3", "-0", "99999999999", "2147483648", "-2147483649", "0.1", "1E3", "٣", "1_000", "\0", "\uD800"),
        Gen.Choose(-1_000, 1_000).Select(static i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Choose(-100_000, 100_000).Select(static i => (i / 100.0).ToString(CultureInfo.InvariantCulture)),
        Gen.Choose(-100_000, 100_000).Select(static i => (i / 100.0).ToString(CultureInfo.GetCultureInfo("de-DE"))));

    private static readonly Gen<object?> s_value = Gen.OneOf(
        Gen.Constant<object?>(null),
        s_text.Select(static s => (object?)s),
        Gen.Choose(-20, 20).Select(static i => (object?)i),
        Gen.Choose(-20, 20).Select(static i => (object?)(i * 0.25)),
        Gen.Choose(-20, 20).Select(static i => (object?)(i * 0.25f)),
        Gen.Choose(-20, 20).Select(static i => (object?)(i * 0.25m)),
        Gen.Elements<object?>(
            1L << 40, -(1L << 40), long.MaxValue, (short)3, (byte)7, 3u, 5ul, true, false, 'a', '\0', double.NaN, double.PositiveInfinity, float.NegativeInfinity,
            0.1f, 0.1, 0.1m, decimal.MaxValue, 2.5, 3.5, -0.5, DayOfWeek.Friday, DateTime.UnixEpoch, new object(), Guid.Empty),
        Gen.Choose(0, 6).Select(static n => (object?)Enumerable.Range(0, n).ToList()),
        Gen.Choose(0, 6).Select(static n => (object?)Enumerable.Range(0, n).ToArray()),
        Gen.Choose(0, 6).Select(static n => (object?)Enumerable.Range(0, n).ToHashSet()));

    private static readonly Gen<bool> s_flag = Gen.Elements(false, true);

    [Fact]
    public void Range_RandomLimitsFlagsValuesAndCultures_AgreesWithValidator()
    {
        var ints = from min in Gen.Choose(-10, 10)
                   from width in Gen.Choose(-2, 10)
                   select (Func<RangeAttribute>)(() => new RangeAttribute(min, min + width));
        var doubles = from min in Gen.Choose(-40, 40)
                      from width in Gen.Choose(-4, 40)
                      select (Func<RangeAttribute>)(() => new RangeAttribute(min * 0.25, (min + width) * 0.25));
        var operands = from type in Gen.Elements(typeof(int), typeof(long), typeof(decimal), typeof(double), typeof(float), typeof(byte))
                       from min in Gen.Choose(-10, 10)
                       from width in Gen.Choose(-1, 10)
                       from style in Gen.Choose(0, 2)
                       select (Func<RangeAttribute>)(() => new RangeAttribute(
                           type,
                           Limit(min, type, style),
                           Limit(min + width, type, style)));
        var ranges = from make in Gen.OneOf(ints, doubles, operands)
                     from minimumIsExclusive in s_flag
                     from maximumIsExclusive in s_flag
                     from parseLimitsInInvariantCulture in s_flag
                     from convertValueInInvariantCulture in s_flag
                     select (Func<ValidationAttribute>)(() =>
                     {
                         var range = make();
                         range.MinimumIsExclusive = minimumIsExclusive;
                         range.MaximumIsExclusive = maximumIsExclusive;
                         range.ParseLimitsInInvariantCulture = parseLimitsInInvariantCulture;
                         range.ConvertValueInInvariantCulture = convertValueInInvariantCulture;
                         return range;
                     });

        AgreesWithValidator(ranges.Select(static make => new[] { make }));
    }

    [Fact]
    public void Required_RandomValues_AgreesWithValidator()
    {
        AgreesWithValidator(s_flag.Select(static allowEmpty => new[] { (Func<ValidationAttribute>)(() => new RequiredAttribute { AllowEmptyStrings = allowEmpty }) }));
    }

    [Fact]
    public void StringLength_RandomLengthsAndValues_AgreesWithValidator()
    {
        var lengths = from max in Gen.Choose(-1, 8)
                      from min in Gen.Choose(-1, 8)
                      select new[] { (Func<ValidationAttribute>)(() => new StringLengthAttribute(max) { MinimumLength = min }) };
        AgreesWithValidator(lengths);
    }

    [Fact]
    public void MinLengthAndMaxLength_RandomLengthsAndValues_AgreesWithValidator()
    {
        var lengths = from length in Gen.Choose(-3, 8)
                      from max in s_flag
                      select new[] { max ? (Func<ValidationAttribute>)(() => new MaxLengthAttribute(length)) : () => new MinLengthAttribute(length) };
        AgreesWithValidator(lengths);
    }

    [Fact]
    public void SeveralAttributesOnOneProperty_RequiredFirst_AgreesWithValidator()
    {
        var all = new Func<ValidationAttribute>[]
        {
            static () => new RequiredAttribute(),
            static () => new RangeAttribute(0, 10),
            static () => new RangeAttribute(-1.5, 2.5) { MaximumIsExclusive = true },
            static () => new StringLengthAttribute(4) { MinimumLength = 1 },
            static () => new MinLengthAttribute(1),
            static () => new MaxLengthAttribute(3),
        };
        var sets = Gen.SubListOf(all).Select(static s => s.ToArray());
        AgreesWithValidator(sets);
    }

    [Fact]
    public void Validate_NonNumericTextUnderRange_AViolationThatDoesNotQuoteIt()
    {
        var validator = ObjectValidator.Create<Holder>(static o => o.Property("Value", static h => h.Value, new RangeAttribute(0, 100)));

        var violation = Assert.Single(validator.Validate(new Holder("4111 1111 1111 1111"), "payment"));

        Assert.Equal(("payment.Value", "range"), (violation.Parameter, violation.Rule));
        Assert.DoesNotContain("4111", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExclusiveBounds_RefuseTheBoundItself()
    {
        var validator = ObjectValidator.Create<Holder>(static o => o.Property("Value", static h => h.Value, new RangeAttribute(0.0, 1.0) { MinimumIsExclusive = true, MaximumIsExclusive = true }));

        Assert.Equal("payment.Value: 0 is outside (0, 1)", Assert.Single(validator.Validate(new Holder(0.0), "payment")).Message);
        Assert.Equal("payment.Value: 1 is outside (0, 1)", Assert.Single(validator.Validate(new Holder(1.0), "payment")).Message);
        Assert.Empty(validator.Validate(new Holder(0.5), "payment"));
    }

    [Fact]
    public void Create_RangeWithMinimumAboveMaximum_RefusedNamingTheProperty()
    {
        var exception = Assert.Throws<ArgumentException>(() => ObjectValidator.Create<Holder>(static o => o.Property("Value", static h => h.Value, new RangeAttribute(5, 1))));

        Assert.Equal("The attributes of property 'Value' cannot validate any value: Range needs a minimum below its maximum (or equal to it, with both ends included).", exception.Message);
    }

    /// <summary>One property of type <see cref="object"/>, so any value can be tried under any attribute.</summary>
    private sealed record Holder(object? Value);

    private static string Limit(int value, Type type, int style) => style switch
    {
        0 => value.ToString(CultureInfo.InvariantCulture),
        1 when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => (value + 0.5).ToString(CultureInfo.CurrentCulture),
        _ => value.ToString(CultureInfo.CurrentCulture),
    };

    private static void AgreesWithValidator(Gen<Func<ValidationAttribute>[]> attributes)
    {
        var cases = from make in attributes
                     from value in s_value
                     from culture in Gen.Elements(s_cultures)
                     select (Make: make, Value: value, Culture: culture);

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c =>
        {
            var saved = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(c.Culture);
            try
            {
                return Agrees(c.Make, c.Value).Label($"value {Describe(c.Value)}, culture '{c.Culture}'");
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }
        }));
    }

    private static Property Agrees(Func<ValidationAttribute>[] make, object? value)
    {
        // The oracle: Validator with the same attributes (new instances: a RangeAttribute keeps its parsed limits).
        var holder = new Holder(value);
        var oracleAttributes = make.Select(static m => m()).ToArray();
        for (var i = 0; i < oracleAttributes.Length; i++)
        {
            oracleAttributes[i].ErrorMessage = Rule(oracleAttributes[i]);
        }

        // An attribute that throws for null throws for every value (minimum above maximum, a negative length, limits
        // that do not parse): Keel must refuse to declare it.
        var misconfigured = make.Any(static m => Throws(() => m().IsValid(null)));
        List<ValidationResult>? results = [];
        var oracle = false;
        try
        {
            oracle = Validator.TryValidateValue(value!, new ValidationContext(holder) { MemberName = "Value" }, results, oracleAttributes);
        }
        catch (Exception exception) when (exception is FormatException or InvalidCastException or OverflowException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            // Validator cannot interpret this value (or the attribute): Keel must call it a violation.
            results = null;
        }

        ObjectValidator<Holder> keel;
        try
        {
            keel = ObjectValidator.Create<Holder>(o => o.Property("Value", static h => h.Value, [.. make.Select(static m => m())]));
        }
        catch (ArgumentException)
        {
            return misconfigured.Label("Keel refused a declaration Validator accepts");
        }

        if (misconfigured)
        {
            return false.Label("Keel accepted a declaration Validator refuses");
        }

        IReadOnlyList<InputViolation> violations;
        try
        {
            violations = keel.Validate(holder, "record");
        }
        catch (Exception exception)
        {
            return false.Label($"Keel threw {exception.GetType().Name}");
        }

        if (results is null)
        {
            return (violations.Count > 0).Label("Validator could not interpret the value, Keel passed it");
        }

        var expected = results.Select(static r => r.ErrorMessage!).Order(StringComparer.Ordinal).ToArray();
        var actual = violations.Select(static v => v.Rule).Order(StringComparer.Ordinal).ToArray();
        return (oracle == (violations.Count == 0) && expected.SequenceEqual(actual))
            .Label($"Validator: [{string.Join(", ", expected)}], Keel: [{string.Join(", ", actual)}]");
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (Exception)
        {
            return true;
        }
    }

    private static string Rule(ValidationAttribute attribute) => attribute switch
    {
        RequiredAttribute => "required",
        RangeAttribute => "range",
        _ => "length",
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        System.Collections.IEnumerable e => $"{value.GetType().Name} of {e.Cast<object>().Count()}",
        _ => $"{value} ({value.GetType().Name})",
    };
}
