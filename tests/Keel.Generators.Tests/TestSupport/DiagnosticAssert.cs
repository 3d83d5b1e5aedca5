using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>Assertions on the generator's diagnostics: which id, on which span, with which message.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Fails unless the generator reports <paramref name="id"/> once on <paramref name="source"/>, at its descriptor's
    /// severity, on the text <paramref name="located"/> of the line <paramref name="line"/>, with <paramref name="message"/>.
    /// </summary>
    public static void Reports(string source, string id, string located, string line, string message)
    {
        var run = GeneratorHarness.Run(source);
        var diagnostic = Single(run, id);
        Assert.Equal(located, run.LocatedText(diagnostic));
        var lineNumber = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(line.Trim(), source.Split('\n')[lineNumber].Trim());
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>Fails unless the generator reports <paramref name="id"/> once, on the <c>[|span|]</c> of <paramref name="markup"/>; returns its message.</summary>
    public static string ReportsAt(string markup, string id)
    {
        var (source, span) = Markup.Parse(markup);
        var run = GeneratorHarness.Run(source);
        var diagnostic = Single(run, id);
        Assert.Equal("Input0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.True(span == diagnostic.Location.SourceSpan, $"{id} is on '{run.LocatedText(diagnostic)}' {diagnostic.Location.SourceSpan}, not on '{source.Substring(span.Start, span.Length)}' {span}");
        return diagnostic.GetMessage(CultureInfo.InvariantCulture);
    }

    /// <summary>Fails if the generator reports <paramref name="id"/> on <paramref name="source"/>.</summary>
    public static void DoesNotReport(string source, string id)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == id);
    }

    /// <summary>Fails unless the generator reports nothing on <paramref name="source"/>, and the result compiles.</summary>
    public static GeneratorRun Clean(string source) => GeneratorHarness.Run(source).AssertNoDiagnostics().AssertCompiles();

    private static Diagnostic Single(GeneratorRun run, string id)
    {
        Assert.Null(run.Result.Exception);
        var matching = run.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected {id} once, the generator reported:\n" + string.Join("\n", run.Diagnostics.Select(run.Format)));
        Assert.Equal(DiagnosticDescriptors.ById(id).DefaultSeverity, matching[0].Severity);
        return matching[0];
    }
}
