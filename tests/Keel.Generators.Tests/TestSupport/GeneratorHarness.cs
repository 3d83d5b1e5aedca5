using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>
/// Runs <see cref="KeelGenerator"/> through <see cref="CSharpGeneratorDriver"/> on source text, against the assemblies
/// this test process runs on (Keel, Keel.Polly, the shared framework: <c>TRUSTED_PLATFORM_ASSEMBLIES</c>), with the
/// SDK's implicit usings, the latest language version and nullable reference types, as a consumer's project has.
/// </summary>
internal static class GeneratorHarness
{
    public const string AssemblyName = "Keel.Consumer";

    /// <summary>What <c>ImplicitUsings</c> gives a console or library project, so test sources read as users write them.</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;

        """;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>A compilation of <paramref name="sources"/>, named <c>Input0.cs</c>, <c>Input1.cs</c>, … in order.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) => CSharpCompilation.Create(
        AssemblyName,
        [
            CSharpSyntaxTree.ParseText(SourceText.From(ImplicitUsings), ParseOptions, path: "GlobalUsings.g.cs"),
            .. sources.Select(static (source, i) => CSharpSyntaxTree.ParseText(SourceText.From(source), ParseOptions, path: $"Input{i}.cs")),
        ],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) => CSharpGeneratorDriver.Create(
        [new KeelGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(compilation, output, driver.GetRunResult().Results.Single());
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var self = typeof(GeneratorHarness).Assembly.GetName().Name + ".dll";
        return [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(self, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(static path => MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>One run of the generator: its diagnostics and sources, and the compilation with the sources added.</summary>
internal sealed record GeneratorRun(CSharpCompilation Input, Compilation Output, GeneratorRunResult Result)
{
    /// <summary>The diagnostics the generator reported, in source order.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => [.. Result.Diagnostics.OrderBy(static d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(static d => d.Location.SourceSpan.Start)];

    /// <summary>The generated sources by hint name, in hint-name order.</summary>
    public IReadOnlyList<(string HintName, string Text)> Sources =>
        [.. Result.GeneratedSources.Select(static s => (s.HintName, s.SourceText.ToString())).OrderBy(static s => s.HintName, StringComparer.Ordinal)];

    /// <summary>Fails unless the generator ran without throwing, and the compilation with its output has no error and the output no warning.</summary>
    public GeneratorRun AssertCompiles()
    {
        Assert.Null(Result.Exception);
        var generated = Result.GeneratedSources.Select(static s => s.SyntaxTree).ToHashSet();
        var problems = Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .Select(Format)
            .ToList();
        Assert.True(problems.Count == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems));
        return this;
    }

    /// <summary>Fails unless the generator reported nothing.</summary>
    public GeneratorRun AssertNoDiagnostics()
    {
        Assert.Null(Result.Exception);
        Assert.True(Result.Diagnostics.IsEmpty, "The generator reported:\n" + string.Join("\n", Result.Diagnostics.Select(Format)));
        return this;
    }

    /// <summary>
    /// The source text a diagnostic points at. The generator's diagnostics carry a file path and a span, not a syntax
    /// tree (so that its models stay comparable between runs), so the tree is found by its path.
    /// </summary>
    public string LocatedText(Diagnostic diagnostic)
    {
        var path = diagnostic.Location.GetLineSpan().Path;
        var tree = diagnostic.Location.SourceTree ?? Output.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        return tree?.GetText().ToString(diagnostic.Location.SourceSpan) ?? string.Empty;
    }

    public string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var text = LocatedText(diagnostic);
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.Severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} [{text}]";
    }
}
