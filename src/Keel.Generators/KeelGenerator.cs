using System.Collections.Immutable;
using System.Linq;
using Keel.Generators.Emission;
using Keel.Generators.Model;
using Keel.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Keel.Generators;

/// <summary>
/// Compiles Keel's decorator attributes into plain code: for a partial method on a class, its implementation (which
/// runs the body method through the method's pipeline); for an interface, a decorator class around any
/// implementation. The stages, in order:
/// <list type="number">
/// <item>find each decorated method through each decorator attribute (<see cref="StepNames.Decorated"/>);</item>
/// <item>parse its whole type once into an equatable model, with the diagnostics (<see cref="StepNames.Parsed"/>);</item>
/// <item>report the diagnostics, through their own output;</item>
/// <item>emit one file per type from the model alone (<see cref="StepNames.Emitted"/>);</item>
/// <item>warn about parameter rules on methods without decorators (<see cref="StepNames.StrayRules"/>).</item>
/// </list>
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KeelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach (var attribute in KnownNames.Decorators)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax or LambdaExpressionSyntax, (c, ct) => TypeParser.Parse(c, attribute, ct))
                .WithTrackingName(StepNames.Decorated)
                .Where(static result => result is not null)
                .Select(static (result, _) => result!)
                .WithTrackingName(StepNames.Parsed);

            context.RegisterSourceOutput(parsed.Select(static (r, _) => r.Diagnostics), ReportDiagnostics);
            context.RegisterSourceOutput(
                parsed.Where(static r => r.Model is { Methods.Count: > 0 }).Select(static (r, _) => r.Model!).WithTrackingName(StepNames.Emitted),
                static (output, model) => output.AddSource(model.HintName, TypeEmitter.Emit(model)));
        }

        foreach (var rule in KnownNames.Rules)
        {
            var stray = context.SyntaxProvider
                .ForAttributeWithMetadataName(rule, static (node, _) => node is ParameterSyntax, (c, _) => StrayRules.Find(c, rule))
                .WithTrackingName(StepNames.StrayRules);
            context.RegisterSourceOutput(stray, ReportDiagnostics);
        }
    }

    private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}

/// <summary>The names of the generator's stages, for the incrementality tests.</summary>
internal static class StepNames
{
    public const string Decorated = nameof(Decorated);
    public const string Parsed = nameof(Parsed);
    public const string Emitted = nameof(Emitted);
    public const string StrayRules = nameof(StrayRules);
}

/// <summary>A parameter rule on a method that has no decorator: the rule would do nothing, so it is reported.</summary>
internal static class StrayRules
{
    public static EquatableArray<DiagnosticInfo> Find(GeneratorAttributeSyntaxContext context, string rule)
    {
        if (context.TargetSymbol is not IParameterSymbol { ContainingSymbol: IMethodSymbol method } parameter || TypeParser.FirstDecorator(method) is not null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var implemented = method.PartialDefinitionPart ?? method;
        if (TypeParser.FirstDecorator(implemented) is not null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        return ImmutableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.RulesWithoutDecorator,
            context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault(),
            KnownNames.ShortName(rule), parameter.Name, method.Name)).ToEquatableArray();
    }
}
