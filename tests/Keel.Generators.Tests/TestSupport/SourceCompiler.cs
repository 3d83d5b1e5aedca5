using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>
/// Compiles source text with Keel's generator as a consumer's build would (references: this test's own platform
/// assemblies, which include Keel's), and runs a program from it in a collectible load context.
/// </summary>
internal static class SourceCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(static () =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(static p => MetadataReference.CreateFromFile(p))]);

    // What a new console project's ImplicitUsings gives every file.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(source, options, path: "Program.cs"), CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.g.cs")],
            s_references.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new KeelGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return (output, generatorDiagnostics.AddRange(output.GetDiagnostics()));
    }

    /// <summary>Compiles <paramref name="source"/> as a console program and runs it, returning what it wrote.</summary>
    public static async Task<string> RunAsync(string source)
    {
        var (output, diagnostics) = Compile(source, OutputKind.ConsoleApplication);
        var errors = diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        var context = new AssemblyLoadContext("consumer", isCollectible: true);
        try
        {
            var entry = context.LoadFromStream(image).EntryPoint!;
            var console = Console.Out;
            using var writer = new StringWriter();
            Console.SetOut(writer);
            try
            {
                var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
                if (result is Task task)
                {
                    await task;
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
            finally
            {
                Console.SetOut(console);
            }

            return writer.ToString();
        }
        finally
        {
            context.Unload();
        }
    }
}
