using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Parsing;

/// <summary>
/// A method's decorator attributes as builder calls in canonical order, each with its profile and the values set on
/// the attribute (only those set: the rest are the options' own defaults, which the attribute's defaults equal).
/// </summary>
internal static class DecoratorReader
{
    private const string DefaultProfile = "Default";

    // Attribute property -> (options property, how its value is written).
    private static readonly Dictionary<string, Dictionary<string, (string Property, Conversion Conversion)>> s_options = new()
    {
        [KnownNames.Monitor] = new()
        {
            ["RecordSizes"] = ("RecordSizes", Conversion.None),
            ["RecordPredictions"] = ("RecordPredictions", Conversion.None),
        },
        [KnownNames.CacheResult] = new()
        {
            ["TtlSeconds"] = ("TimeToLive", Conversion.Seconds),
            ["MaxEntries"] = ("MaxEntries", Conversion.None),
            ["MaxStaleSeconds"] = ("MaxStale", Conversion.SecondsOrNull),
        },
        [KnownNames.MemoryGuard] = new()
        {
            ["MaxMemoryLoad"] = ("MaxMemoryLoad", Conversion.None),
            ["Action"] = ("Action", Conversion.None),
            ["MaxWaitSeconds"] = ("MaxWait", Conversion.Seconds),
            ["RetryAfterSeconds"] = ("RetryAfter", Conversion.Seconds),
            ["EstimatedBytes"] = ("EstimatedBytes", Conversion.None),
        },
        [KnownNames.Retry] = new()
        {
            ["MaxAttempts"] = ("MaxAttempts", Conversion.None),
            ["BaseDelaySeconds"] = ("BaseDelay", Conversion.Seconds),
            ["Factor"] = ("Factor", Conversion.None),
            ["MaxDelaySeconds"] = ("MaxDelay", Conversion.Seconds),
            ["Jitter"] = ("Jitter", Conversion.None),
            ["MaxTotalDurationSeconds"] = ("MaxTotalDuration", Conversion.SecondsOrNull),
        },
    };

    private enum Conversion
    {
        None,
        Seconds,
        SecondsOrNull,
    }

    public static List<DecoratorModel> Read(IMethodSymbol method, Dictionary<string, AttributeData> attributes, bool validate, List<DiagnosticInfo> diagnostics)
    {
        var decorators = new List<DecoratorModel>();
        foreach (var name in KnownNames.Decorators)
        {
            var kind = KnownNames.ShortName(name);
            if (name == KnownNames.ValidateInput)
            {
                if (validate)
                {
                    decorators.Add(new DecoratorModel(kind, null, EquatableArray<OptionAssignment>.Empty));
                }

                continue;
            }

            if (!attributes.TryGetValue(name, out var attribute))
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? method.Locations.FirstOrDefault();
            var profile = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            if (name == KnownNames.Resilience)
            {
                if (string.IsNullOrWhiteSpace(profile))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidProfileName, location, profile ?? "null", kind));
                    continue;
                }

                decorators.Add(new DecoratorModel(kind, profile, EquatableArray<OptionAssignment>.Empty));
                continue;
            }

            if (attribute.ConstructorArguments.Length == 1 && !IsValidProfile(profile))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidProfileName, location, profile ?? "null", kind));
                continue;
            }

            var options = new List<OptionAssignment>();
            foreach (var argument in attribute.NamedArguments)
            {
                if (s_options[name].TryGetValue(argument.Key, out var target))
                {
                    options.Add(new OptionAssignment(target.Property, Value(argument.Value, target.Conversion)));
                }
            }

            decorators.Add(new DecoratorModel(kind, string.Equals(profile, DefaultProfile, System.StringComparison.OrdinalIgnoreCase) ? null : profile, options.ToEquatableArray()));
        }

        return decorators;
    }

    /// <summary>As the engine's rule: 1 to 100 ASCII letters, digits, <c>-</c>, <c>_</c> or <c>.</c>, a configuration key.</summary>
    public static bool IsValidProfile(string? profile) =>
        !string.IsNullOrEmpty(profile) && profile!.Length <= 100 && profile.All(static c => c < 128 && (char.IsLetterOrDigit(c) || c is '-' or '_' or '.'));

    private static string Value(TypedConstant value, Conversion conversion)
    {
        if (value.Kind == TypedConstantKind.Enum)
        {
            var member = value.Type!.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value));
            return member is null
                ? $"({TypeClassifier.Display(value.Type!)}){value.Value}"
                : $"{TypeClassifier.Display(value.Type!)}.{member.Name}";
        }

        return value.Value switch
        {
            double seconds when conversion == Conversion.SecondsOrNull && seconds == 0 => "null",
            double seconds when conversion != Conversion.None => $"global::System.TimeSpan.FromSeconds({RuleReader.Literal(seconds)})",
            double number => RuleReader.Literal(number),
            bool flag => flag ? "true" : "false",
            int number => number.ToString(CultureInfo.InvariantCulture),
            long number => number.ToString(CultureInfo.InvariantCulture),
            var other => other?.ToString() ?? "null",
        };
    }
}
