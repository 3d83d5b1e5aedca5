using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Keel.Generators.Parsing;

/// <summary>
/// A parameter's validation: Keel's tensor rules (<c>[Shape]</c>, <c>[Finite]</c>, …) as calls on <c>InputRules</c>,
/// and DataAnnotations on a record's or class's properties as an <c>ObjectValidator</c> with generated accessors.
/// </summary>
internal static class RuleReader
{
    public static List<string> Rules(IParameterSymbol parameter, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        var rules = new List<string>();
        var dense = TypeClassifier.IsDenseTensor(parameter.Type, compilation);
        var attributes = parameter.GetAttributes();
        foreach (var name in KnownNames.Rules)
        {
            var attribute = attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);
            if (attribute is null)
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault();
            if (!dense && !TypeClassifier.IsTensorLike(parameter.Type))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotTensorLike, location, KnownNames.ShortName(name), parameter.Name, parameter.Type.ToDisplayString()));
                continue;
            }

            var arguments = attribute.ConstructorArguments;
            switch (name)
            {
                case KnownNames.Shape:
                    var lengths = arguments.Length == 1 && arguments[0].Kind == TypedConstantKind.Array ? arguments[0].Values.Select(static v => (int)v.Value!) : arguments.Select(static v => (int)v.Value!);
                    rules.Add($"Shape({string.Join(", ", lengths.Select(static l => l.ToString(CultureInfo.InvariantCulture)))})");
                    break;
                case KnownNames.Within:
                    var min = (double)arguments[0].Value!;
                    var max = (double)arguments[1].Value!;
                    if (double.IsNaN(min) || double.IsNaN(max) || min > max)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyRange, location, Literal(min), Literal(max), parameter.Name));
                        continue;
                    }

                    rules.Add($"Within({Literal(min)}, {Literal(max)})");
                    break;
                case KnownNames.MaxElements:
                    rules.Add($"MaxElements({((long)arguments[0].Value!).ToString(CultureInfo.InvariantCulture)})");
                    break;
                default:
                    rules.Add($"{KnownNames.ShortName(name)}()");
                    break;
            }
        }

        if (dense && rules.Count > 0)
        {
            // Keel.Onnx's DenseTensor() lets the rules that follow read the tensor.
            rules.Insert(0, KnownNames.DenseTensorRule);
        }

        return rules;
    }

    /// <summary>
    /// The <c>ObjectValidator</c> expression for a record or class parameter with DataAnnotations on its properties
    /// (or, for a positional record, on its constructor's parameters), each property's rules on a line of its own;
    /// <see langword="null"/> when it has none.
    /// </summary>
    public static string? ObjectValidator(ITypeSymbol type)
    {
        if (type.TypeKind is not (Microsoft.CodeAnalysis.TypeKind.Class or Microsoft.CodeAnalysis.TypeKind.Struct) || type.SpecialType != SpecialType.None || TypeClassifier.IsTensorLike(type))
        {
            return null;
        }

        var positional = (type as INamedTypeSymbol)?.InstanceConstructors
            .Where(static c => c.Parameters.Length > 0)
            .SelectMany(static c => c.Parameters)
            .GroupBy(static p => p.Name)
            .ToDictionary(static g => g.Key, static g => g.First());
        var properties = new List<string>();
        foreach (var property in TypeClassifier.KeyedProperties(type))
        {
            var attributes = property.GetAttributes().AddRange(
                type.IsRecord && positional is not null && positional.TryGetValue(property.Name, out var parameter) ? parameter.GetAttributes() : []);
            var created = attributes.Where(IsValidationAttribute).Select(New).Where(static a => a is not null).ToList();
            if (created.Count > 0)
            {
                properties.Add($".Property(\"{property.Name}\", static value => value.{TypeClassifier.Escape(property.Name)}, {string.Join(", ", created)})");
            }
        }

        return properties.Count == 0
            ? null
            : $"global::Keel.Validation.ObjectValidator.Create<{TypeClassifier.Display(type)}>(static properties => properties{string.Concat(properties.Select(static p => "\n" + p))})";
    }

    private static bool IsValidationAttribute(AttributeData attribute)
    {
        for (var type = attribute.AttributeClass; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == KnownNames.ValidationAttribute)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The attribute again as a <c>new</c> expression, with its constructor arguments and named properties.</summary>
    private static string? New(AttributeData attribute)
    {
        if (attribute.AttributeClass is not { } type || type.DeclaredAccessibility == Accessibility.Private || attribute.ConstructorArguments.Any(static a => a.Kind == TypedConstantKind.Error))
        {
            return null;
        }

        var arguments = string.Join(", ", attribute.ConstructorArguments.Select(Constant));
        var named = attribute.NamedArguments.Select(static a => $"{a.Key} = {Constant(a.Value)}").ToList();
        return $"new {TypeClassifier.Display(type)}({arguments})" + (named.Count == 0 ? string.Empty : $" {{ {string.Join(", ", named)} }}");
    }

    private static string Constant(TypedConstant constant) => constant.Kind switch
    {
        TypedConstantKind.Array => $"new {TypeClassifier.Display(constant.Type!)} {{ {string.Join(", ", constant.Values.Select(Constant))} }}",
        TypedConstantKind.Type => $"typeof({TypeClassifier.Display((ITypeSymbol)constant.Value!)})",
        TypedConstantKind.Enum => $"({TypeClassifier.Display(constant.Type!)}){Primitive(constant.Value)}",
        _ => constant.Value is null ? "null" : Primitive(constant.Value),
    };

    private static string Primitive(object? value) => value switch
    {
        null => "null",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        double d => Literal(d, typed: true),
        int i => i.ToString(CultureInfo.InvariantCulture),
        byte b => $"(byte){b.ToString(CultureInfo.InvariantCulture)}",
        sbyte b => $"(sbyte){b.ToString(CultureInfo.InvariantCulture)}",
        short h => $"(short){h.ToString(CultureInfo.InvariantCulture)}",
        ushort h => $"(ushort){h.ToString(CultureInfo.InvariantCulture)}",
        float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "f",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
        _ => value.ToString() ?? "null",
    };

    /// <summary>A double as C# source; <paramref name="typed"/> adds a <c>d</c> to a whole number where an int would pick another overload.</summary>
    public static string Literal(double value, bool typed = false) =>
        double.IsNaN(value) ? "double.NaN"
        : double.IsPositiveInfinity(value) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(value) ? "double.NegativeInfinity"
        : value.ToString("R", CultureInfo.InvariantCulture) is var text && (!typed || text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0) ? text : text + "d";
}
