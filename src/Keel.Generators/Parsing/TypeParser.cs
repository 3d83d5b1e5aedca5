using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Keel.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Keel.Generators.Parsing;

/// <summary>
/// Turns the type of a decorated method into a <see cref="TypeModel"/>: every decorated method of a partial class, or
/// every member of an interface. The whole type is parsed once, from its first decorated method and that method's
/// outermost attribute, so each type gives one result whichever attribute pipeline finds it.
/// </summary>
internal static class TypeParser
{
    public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, string attributeName, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || method.ContainingType is not { } type)
        {
            return null;
        }

        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return FirstDecorator(method) != attributeName ? null : new ParseResult(null, new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, method.Locations.FirstOrDefault(), method.MethodKind == MethodKind.LocalFunction ? method.Name : "a lambda",
                    "local functions and lambdas cannot be decorated: declare a partial method on a partial class, or wrap the delegate with InferencePipeline.For<TInput, TResult>(…).Use…().Build(…)"),
            }.ToEquatableArray());
        }

        // Only the type's first decorated method, found through its outermost decorator, parses the type.
        if (FirstDecorator(method) != attributeName || FirstDecoratedMethod(type) is not { } first || !SymbolEqualityComparer.Default.Equals(first, method.PartialDefinitionPart ?? method))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var compilation = context.SemanticModel.Compilation;
        var model = type.TypeKind == Microsoft.CodeAnalysis.TypeKind.Interface
            ? ParseInterface(type, compilation, diagnostics, cancellationToken)
            : ParseClass(type, compilation, diagnostics, cancellationToken);
        return new ParseResult(diagnostics.Any(static d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error) ? null : model, diagnostics.ToEquatableArray());
    }

    public static string? FirstDecorator(IMethodSymbol method)
    {
        var names = method.GetAttributes().Select(static a => a.AttributeClass?.ToDisplayString()).ToList();
        return KnownNames.Decorators.FirstOrDefault(names.Contains);
    }

    private static IMethodSymbol? FirstDecoratedMethod(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(static m => FirstDecorator(m) is not null);

    private static TypeModel? ParseClass(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (!CheckContainers(type, diagnostics))
        {
            return null;
        }

        var provider = FindProvider(type, diagnostics);
        var (modelName, modelVersion) = Identity(type, compilation);
        var methods = new List<MethodModel>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(static m => FirstDecorator(m) is not null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MethodParser.ParsePartial(method, type, compilation, diagnostics) is { } parsed)
            {
                methods.Add(parsed);
            }
        }

        return new TypeModel(
            Model.TypeKind.PartialClass,
            Namespace(type),
            Containers(type),
            type.Name,
            TypeClassifier.Display(type),
            string.Empty,
            modelName,
            modelVersion,
            provider,
            methods.ToEquatableArray(),
            EquatableArray<ForwardedMember>.Empty);
    }

    private static TypeModel? ParseInterface(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var location = type.Locations.FirstOrDefault();
        if (type.IsGenericType || type.ContainingType is { } && type.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, location, type.Name,
                type.IsGenericType ? "generic interfaces are not supported: declare the decorated methods on a non-generic interface" : "a nested interface must be public or internal, so that its decorator class can implement it"));
            return null;
        }

        var (modelName, modelVersion) = Identity(type, compilation);
        var methods = new List<MethodModel>();
        var forwarded = new List<ForwardedMember>();
        foreach (var member in new[] { type }.Concat(type.AllInterfaces).SelectMany(static i => i.GetMembers()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsStatic)
            {
                if (member.IsAbstract || member.IsVirtual)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, location, type.Name,
                        $"its static abstract member '{member.Name}' means the interface cannot be a type argument; move the decorated methods to an interface without one"));
                }

                continue;
            }

            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && FirstDecorator(method) is not null)
            {
                if (MethodParser.ParseInterfaceMethod(method, type, compilation, diagnostics) is { } parsed)
                {
                    methods.Add(parsed);
                }
            }
            else if (Forwarding.Forward(member, diagnostics, location) is { } forward)
            {
                forwarded.Add(forward);
            }
        }

        return new TypeModel(
            Model.TypeKind.Interface,
            Namespace(type),
            EquatableArray<ContainingType>.Empty,
            type.Name,
            TypeClassifier.Display(type),
            type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            modelName,
            modelVersion,
            null,
            methods.ToEquatableArray(),
            forwarded.ToEquatableArray());
    }

    private static bool CheckContainers(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var reason =
                current.IsGenericType ? $"its type '{current.Name}' is generic, and one pipeline serves every instance: declare the decorated methods in a non-generic type"
                : !IsPartial(current) ? $"its type '{current.Name}' is not partial: declare it 'partial' so that the generator can add the method's implementation"
                : current.IsValueType && ReferenceEquals(current, type) ? $"'{current.Name}' is a struct: the pipeline passes the instance as its state, so declare it a class"
                : null;
            if (reason is not null)
            {
                var method = FirstDecoratedMethod(type)!;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotWrap, method.Locations.FirstOrDefault(), method.Name, reason));
                return false;
            }
        }

        return true;
    }

    private static bool IsPartial(INamedTypeSymbol type) => type.DeclaringSyntaxReferences
        .Select(static r => r.GetSyntax())
        .OfType<TypeDeclarationSyntax>()
        .Any(static d => d.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>
    /// The member the generated code asks for the container's pipelines: a field or property of type
    /// <c>InferencePipelineProvider</c>, else a primary-constructor parameter of that type; none means standalone.
    /// </summary>
    private static string? FindProvider(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var members = type.GetMembers()
            .Where(static m => !m.IsStatic && !m.IsImplicitlyDeclared)
            .Where(static m => ((m as IFieldSymbol)?.Type ?? (m as IPropertySymbol)?.Type) is { } t && t.ToDisplayString().TrimEnd('?') == KnownNames.Provider)
            .Select(static m => m.Name)
            .ToList();
        var isMember = members.Count > 0;
        if (!isMember)
        {
            members = type.DeclaringSyntaxReferences
                .Select(static r => r.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .Where(static d => d.ParameterList is not null)
                .SelectMany(static d => d.ParameterList!.Parameters)
                .Where(static p => p.Type is not null && IsProviderType(p.Type.ToString()))
                .Select(static p => p.Identifier.ValueText)
                .ToList();
        }

        if (members.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AmbiguousProvider, type.Locations.FirstOrDefault(), type.Name, string.Join(", ", members)));
        }

        // A field or property is qualified with 'this.', so that a parameter of the same name cannot hide it.
        return members.Count == 1 ? (isMember ? "this." : string.Empty) + TypeClassifier.Escape(members[0]) : null;
    }

    private static bool IsProviderType(string written) =>
        written.TrimEnd('?').Replace("global::", string.Empty) is "InferencePipelineProvider" or KnownNames.Provider;

    private static (string Name, string Version) Identity(INamedTypeSymbol type, Compilation compilation)
    {
        var attribute = type.GetAttributes().FirstOrDefault(static a => a.AttributeClass?.ToDisplayString() == KnownNames.InferenceModel);
        if (attribute is { ConstructorArguments.Length: 2 } && attribute.ConstructorArguments[0].Value is string name && attribute.ConstructorArguments[1].Value is string version)
        {
            return (name, version);
        }

        var plain = type.TypeKind == Microsoft.CodeAnalysis.TypeKind.Interface && type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name.Substring(1) : type.Name;
        return (plain, compilation.Assembly.Identity.Version.ToString());
    }

    private static string? Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;

    private static EquatableArray<ContainingType> Containers(INamedTypeSymbol type)
    {
        var chain = new List<ContainingType>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var keyword = current.IsRecord ? "record" : current.TypeKind == Microsoft.CodeAnalysis.TypeKind.Struct ? "struct" : "class";
            chain.Insert(0, new ContainingType(current.IsRecord && current.IsValueType ? "record struct" : keyword, current.Name));
        }

        return chain.ToEquatableArray();
    }
}
