using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>
/// Compiles source text with Keel's generator (<see cref="GeneratorHarness"/>) and runs it as a program, in a
/// collectible load context, returning what it wrote to the console.
/// </summary>
internal static class SourceCompiler
{
    /// <summary>
    /// The output compilation and every diagnostic, the generator's and the compiler's, except missing XML comments on
    /// the test's own public types (the harness parses documentation comments, to check the generated ones).
    /// </summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Compile(string source, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var compilation = GeneratorHarness.CreateCompilation(source).WithOptions(new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        var run = GeneratorHarness.Run(compilation);
        return (run.Output, [.. run.Diagnostics.AddRange(run.Output.GetDiagnostics()).Where(static d => d.Id != "CS1591")]);
    }

    /// <summary>Compiles <paramref name="source"/> as a console program and runs it, returning what it wrote.</summary>
    public static async Task<string> RunAsync(string source)
    {
        var (output, diagnostics) = Compile(source, OutputKind.ConsoleApplication);
        var problems = diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        var context = new AssemblyLoadContext("consumer", isCollectible: true);
        var console = Console.Out;
        try
        {
            var entry = context.LoadFromStream(image).EntryPoint!;
            using var writer = new StringWriter();
            Console.SetOut(writer);
            try
            {
                if (entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]) is Task task)
                {
                    await task;
                }
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }

            return writer.ToString();
        }
        finally
        {
            Console.SetOut(console);
            context.Unload();
        }
    }
}
