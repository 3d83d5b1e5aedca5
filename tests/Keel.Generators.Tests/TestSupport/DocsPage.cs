using System.Text.RegularExpressions;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>
/// A diagnostic's docs page, <c>docs/diagnostics/KEELnnnn.md</c>: its title, severity, and the C# of its "Wrong code"
/// and "Right code" sections, which the diagnostic tests compile, so that the docs stay true.
/// </summary>
internal sealed partial record DocsPage(string Id, string Title, string Severity, string WrongCode, string RightCode)
{
    public static DocsPage Load(string id)
    {
        var text = RepositoryFiles.ReadText(Path.Combine(RepositoryFiles.DiagnosticsDocsDirectory, id + ".md"));
        var title = TitleLine().Match(text);
        Assert.True(title.Success, $"{id}.md has no '# {id}: title' line");
        Assert.Equal(id, title.Groups["id"].Value);
        var severity = SeverityCell().Match(text);
        Assert.True(severity.Success, $"{id}.md has no table row starting with its severity");
        return new DocsPage(id, title.Groups["title"].Value, severity.Groups["severity"].Value, Code(text, id, "Wrong code"), Code(text, id, "Right code"));
    }

    private static string Code(string text, string id, string section)
    {
        var start = text.IndexOf("## " + section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{id}.md has no '## {section}' section");
        var block = CodeBlock().Match(text, start);
        Assert.True(block.Success, $"{id}.md's '{section}' section has no ```csharp block");
        return block.Groups["code"].Value;
    }

    [GeneratedRegex(@"\A# (?<id>KEEL\d{4}): (?<title>.+)\n")]
    private static partial Regex TitleLine();

    [GeneratedRegex(@"^\| (?<severity>Error|Warning|Info) \|", RegexOptions.Multiline)]
    private static partial Regex SeverityCell();

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
