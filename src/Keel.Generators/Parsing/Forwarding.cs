using System.Collections.Generic;
using System.Linq;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Parsing;

/// <summary>
/// An interface member without decorators, as an explicit implementation in the decorator class that forwards to the
/// inner implementation unchanged.
/// </summary>
internal static class Forwarding
{
    public static ForwardedMember? Forward(ISymbol member, List<DiagnosticInfo> diagnostics, Location? location)
    {
        var owner = TypeClassifier.Display(member.ContainingType);
        switch (member)
        {
            case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                {
                    Refuse(member, "it returns by reference", diagnostics, location);
                    return null;
                }

                var typeParameters = method.IsGenericMethod ? $"<{string.Join(", ", method.TypeParameters.Select(static t => t.Name))}>" : string.Empty;
                return new ForwardedMember(
                    $"{TypeClassifier.Display(method.ReturnType)} {owner}.{TypeClassifier.Escape(method.Name)}{typeParameters}({Parameters(method.Parameters)}){Constraints(method)}",
                    $"_inner.{TypeClassifier.Escape(method.Name)}{typeParameters}({Arguments(method.Parameters)})");

            case IPropertySymbol property:
                if (property.ReturnsByRef || property.ReturnsByRefReadonly || property.SetMethod is { IsInitOnly: true })
                {
                    Refuse(member, property.SetMethod is { IsInitOnly: true } ? "it has an init accessor" : "it returns by reference", diagnostics, location);
                    return null;
                }

                var target = property.IsIndexer ? $"_inner[{Arguments(property.Parameters)}]" : $"_inner.{TypeClassifier.Escape(property.Name)}";
                var accessors = (property.GetMethod is null ? string.Empty : $"get => {target}; ") + (property.SetMethod is null ? string.Empty : $"set => {target} = value; ");
                var name = property.IsIndexer ? $"this[{Parameters(property.Parameters)}]" : TypeClassifier.Escape(property.Name);
                return new ForwardedMember($"{TypeClassifier.Display(property.Type)} {owner}.{name}", $"{{ {accessors}}}");

            case IEventSymbol @event:
                var handler = $"_inner.{TypeClassifier.Escape(@event.Name)}";
                return new ForwardedMember($"event {TypeClassifier.Display(@event.Type)} {owner}.{TypeClassifier.Escape(@event.Name)}", $"{{ add => {handler} += value; remove => {handler} -= value; }}");

            default:
                return null;
        }
    }

    public static string Parameters(IEnumerable<IParameterSymbol> parameters) =>
        string.Join(", ", parameters.Select(static p => $"{RefKind(p)}{(p.IsParams ? "params " : string.Empty)}{TypeClassifier.Display(p.Type)} {TypeClassifier.Escape(p.Name)}"));

    public static string Arguments(IEnumerable<IParameterSymbol> parameters) =>
        string.Join(", ", parameters.Select(static p => (p.RefKind switch { Microsoft.CodeAnalysis.RefKind.Ref => "ref ", Microsoft.CodeAnalysis.RefKind.Out => "out ", Microsoft.CodeAnalysis.RefKind.In => "in ", _ => string.Empty }) + TypeClassifier.Escape(p.Name)));

    /// <summary>
    /// The constraints an explicit implementation restates: <c>class</c> and <c>struct</c>, and <c>default</c> for an
    /// unconstrained type parameter written <c>T?</c>, which would otherwise mean <c>Nullable&lt;T&gt;</c> there.
    /// </summary>
    private static string Constraints(IMethodSymbol method)
    {
        var clauses = new List<string>();
        foreach (var parameter in method.TypeParameters)
        {
            var constraint =
                parameter.HasReferenceTypeConstraint ? (parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class")
                : parameter.HasValueTypeConstraint || parameter.HasUnmanagedTypeConstraint ? "struct"
                : new[] { method.ReturnType }.Concat(method.Parameters.Select(static p => p.Type)).Any(t => Annotates(t, parameter)) ? "default"
                : null;
            if (constraint is not null)
            {
                clauses.Add($" where {parameter.Name} : {constraint}");
            }
        }

        return string.Concat(clauses);
    }

    private static bool Annotates(ITypeSymbol type, ITypeParameterSymbol parameter) => type switch
    {
        ITypeParameterSymbol used => used.NullableAnnotation == NullableAnnotation.Annotated && SymbolEqualityComparer.Default.Equals(used, parameter),
        IArrayTypeSymbol array => Annotates(array.ElementType, parameter),
        INamedTypeSymbol named => named.TypeArguments.Any(a => Annotates(a, parameter)),
        _ => false,
    };

    private static string RefKind(IParameterSymbol parameter) => parameter.RefKind switch
    {
        Microsoft.CodeAnalysis.RefKind.Ref => "ref ",
        Microsoft.CodeAnalysis.RefKind.Out => "out ",
        Microsoft.CodeAnalysis.RefKind.In => "in ",
        Microsoft.CodeAnalysis.RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    private static void Refuse(ISymbol member, string reason, List<DiagnosticInfo> diagnostics, Location? location) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, member.Locations.FirstOrDefault() ?? location, member.ContainingType.Name,
            $"its member '{member.Name}' cannot be forwarded by a decorator class, because {reason}"));
}
