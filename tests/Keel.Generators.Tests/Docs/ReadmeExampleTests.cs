using System.Text.RegularExpressions;
using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests.Docs;

/// <summary>The README's first example, exactly as written there, compiled with the generator and run.</summary>
public partial class ReadmeExampleTests
{
    [Fact]
    public async Task FirstExample_CompiledAndRun_ShowsTheCacheAndValidationAtWork()
    {
        var output = await SourceCompiler.RunAsync(FirstCSharpBlock(RepositoryFiles.ReadText(Path.Combine(RepositoryFiles.RepositoryRoot, "README.md"))));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("0.5", lines[0]);
        Assert.Equal("0.5", lines[1]);
        Assert.Equal("body calls: 1", lines[2]);
        Assert.Contains("features", lines[3], StringComparison.Ordinal);
        Assert.Contains("NaN", output, StringComparison.Ordinal);
    }

    internal static string FirstCSharpBlock(string markdown) => CSharpBlock().Match(markdown).Groups[1].Value;

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
