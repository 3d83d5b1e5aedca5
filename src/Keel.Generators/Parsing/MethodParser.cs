using System.Collections.Generic;
using System.Linq;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Parsing;

/// <summary>Parses one decorated method: its signature, its decorators in canonical order and its parameters' rules.</summary>
internal static class MethodParser
{
    public static MethodModel? ParsePartial(IMethodSymbol method, INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        var location = method.Locations.FirstOrDefault();
        var coreName = CoreName(method.Name);
        var reason =
            method.IsPartialDefinition && method.PartialImplementationPart is not null ? $"it already has an implementation: remove the body of the partial method and put it in '{coreName}', which the generated code calls"
            : !method.IsPartialDefinition ? $"it is not a partial method: declare it 'partial' without a body (for example '{Accessibility(method)}partial {method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} {method.Name}(…);') and put the body in '{coreName}'"
            : method.IsGenericMethod ? "generic methods are not supported, because one pipeline serves every call: declare a method per type argument"
            : method.MethodKind != MethodKind.Ordinary ? "only ordinary methods can be decorated"
            : null;
        if (reason is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, location, method.Name, reason));
            return null;
        }

        if (Signature.Parse(method, MemberName(method, type), compilation, diagnostics) is not { } signature)
        {
            return null;
        }

        // The bodies of the method's overloads are not this one's, whose body is then missing rather than mismatched.
        var overloads = type.GetMembers(method.Name).OfType<IMethodSymbol>().Where(m => !SymbolEqualityComparer.Default.Equals(m, method)).ToList();
        var cores = type.GetMembers(coreName).OfType<IMethodSymbol>().Where(c => SameSignature(c, method) || !overloads.Any(o => SameSignature(c, o))).ToList();
        var core = cores.FirstOrDefault(c => SameSignature(c, method));
        if (core is null)
        {
            diagnostics.Add(cores.Count == 0
                ? DiagnosticInfo.Create(DiagnosticDescriptors.MissingBody, location, method.Name, coreName)
                : DiagnosticInfo.Create(DiagnosticDescriptors.BodyMismatch, cores[0].Locations.FirstOrDefault(), coreName, method.Name, Describe(method), Difference(cores[0], method)));
            return null;
        }

        if (method.IsStatic && !core.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BodyMismatch, core.Locations.FirstOrDefault(), coreName, method.Name, Describe(method), $"'{method.Name}' is static and '{coreName}' is not"));
            return null;
        }

        return signature.ToModel(method, type, coreName, Modifiers(method), core.IsStatic);
    }

    public static MethodModel? ParseInterfaceMethod(IMethodSymbol method, INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics)
    {
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, method.Locations.FirstOrDefault(), method.Name,
                "generic methods are not supported, because one pipeline serves every call: declare a method per type argument"));
            return null;
        }

        return Signature.Parse(method, MemberName(method, type), compilation, diagnostics) is { } signature
            ? signature.ToModel(method, type, method.Name, string.Empty, coreIsStatic: false)
            : null;
    }

    /// <summary>
    /// What the members generated for <paramref name="method"/> (its pipeline field, build method and key writers) are
    /// named after: its name, numbered from 1 in declaration order when the generated type has decorated overloads of it
    /// (an interface's decorator class implements its base interfaces' methods too).
    /// </summary>
    public static string MemberName(IMethodSymbol method, INamedTypeSymbol type)
    {
        var types = type.TypeKind == Microsoft.CodeAnalysis.TypeKind.Interface ? new[] { type }.Concat(type.AllInterfaces) : [type];
        var overloads = types.SelectMany(t => t.GetMembers(method.Name)).OfType<IMethodSymbol>().Where(static m => TypeParser.FirstDecorator(m) is not null).ToList();
        var definition = method.PartialDefinitionPart ?? method;
        return overloads.Count < 2
            ? method.Name
            : method.Name + (overloads.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, definition)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public ",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal ",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected ",
        Microsoft.CodeAnalysis.Accessibility.Private => "private ",
        _ => string.Empty,
    };

    /// <summary>The body method's name: <c>ScoreAsync</c> becomes <c>ScoreCoreAsync</c>, <c>Score</c> becomes <c>ScoreCore</c>.</summary>
    public static string CoreName(string name) =>
        name.EndsWith("Async", System.StringComparison.Ordinal) && name.Length > "Async".Length
            ? name.Substring(0, name.Length - "Async".Length) + "CoreAsync"
            : name + "Core";

    /// <summary>The operation name for telemetry: <c>GetFeaturesAsync</c> becomes <c>get_features</c>.</summary>
    public static string OperationName(string name)
    {
        if (name.EndsWith("Async", System.StringComparison.Ordinal) && name.Length > "Async".Length)
        {
            name = name.Substring(0, name.Length - "Async".Length);
        }

        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string Modifiers(IMethodSymbol method)
    {
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax;
        return syntax is null ? "partial" : string.Join(" ", syntax.Modifiers.Select(static m => m.Text));
    }

    private static bool SameSignature(IMethodSymbol core, IMethodSymbol method) =>
        !core.IsGenericMethod
        && SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType)
        && core.Parameters.Length == method.Parameters.Length
        && core.Parameters.Zip(method.Parameters, static (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(static same => same);

    private static string Describe(IMethodSymbol method) =>
        $"{method.ReturnType.ToDisplayString()} ({string.Join(", ", method.Parameters.Select(static p => p.Type.ToDisplayString()))})";

    private static string Difference(IMethodSymbol core, IMethodSymbol method) =>
        core.IsGenericMethod ? $"'{core.Name}' is generic"
        : !SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType) ? $"'{core.Name}' returns {core.ReturnType.ToDisplayString()}"
        : $"'{core.Name}' takes ({string.Join(", ", core.Parameters.Select(static p => p.Type.ToDisplayString()))})";
}
