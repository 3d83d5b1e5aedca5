using Microsoft.CodeAnalysis.Text;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>Source with the span a diagnostic is expected on written <c>[|like this|]</c>, as in Roslyn's own tests.</summary>
internal static class Markup
{
    public static (string Source, TextSpan Span) Parse(string markup)
    {
        var start = markup.IndexOf("[|", StringComparison.Ordinal);
        var end = markup.IndexOf("|]", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "The markup has no [|span|]");
        var source = markup.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
