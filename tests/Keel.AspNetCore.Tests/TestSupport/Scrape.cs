using System.Text.RegularExpressions;

namespace Keel.AspNetCore.Tests.TestSupport;

/// <summary>The metric and label names in a Prometheus text-format scrape.</summary>
internal static partial class Scrape
{
    public static HashSet<string> MetricNames(string scrape) =>
        scrape.Split('\n').Where(static line => line.Length > 0 && line[0] != '#').Select(static line => SampleName().Match(line).Value).ToHashSet(StringComparer.Ordinal);

    public static HashSet<string> LabelNames(string scrape) =>
        LabelName().Matches(scrape).Select(static m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    [GeneratedRegex("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"")]
    private static partial Regex LabelName();
}
