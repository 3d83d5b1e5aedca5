using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>
/// The Grafana dashboard (docs/grafana/keel-dashboard.json) against the service's own scrape: every panel's metric is
/// one the service emits once it has answered, except the few instruments this service has no use for, and every label a
/// query names is on the service's series.
/// </summary>
[Collection(SharedServiceCollection.Name)]
public sealed partial class GrafanaDashboardTests(ServiceFixture fixture)
{
    /// <summary>Instruments the service does not feed: no drift profile, no scalar predictions; spent budgets and memory refusals only happen under failure.</summary>
    private static readonly HashSet<string> s_notThisService = new(StringComparer.Ordinal)
    {
        "keel_input_drift", "keel_inference_prediction_bucket", "keel_retry_budget_exhausted_total", "keel_memory_rejections_total",
    };

    private static readonly HashSet<string> s_promQl = new(StringComparer.Ordinal)
    {
        "histogram_quantile", "sum", "max", "rate", "by", "ignoring", "group_left", "label_values", "le", "instance", "job",
    };

    [Fact]
    public async Task Dashboard_EveryPanel_FindsItsSeriesInTheServicesScrape()
    {
        var client = fixture.Service.Client;
        var png = TestImages.Noise(seed: 7000);
        await Api.EmbedAsync(client, png, "image/png");
        await Api.EmbedAsync(client, png, "image/png");
        using (await Api.PostAsync(client, CraftedFiles.Tensor(float.NaN), "application/octet-stream"))
        {
        }

        await Api.EmbedUrlAsync(client, fixture.Images.Url("/flaky/dashboard.png"));
        var scrape = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var lines = scrape.Split('\n').Where(static l => l.Length > 0 && l[0] != '#').ToArray();
        var metrics = lines.Select(static l => Name().Match(l).Value).ToHashSet(StringComparer.Ordinal);
        var labels = Label().Matches(scrape).Select(static m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("docs", "grafana", "keel-dashboard.json")));
        var queries = Queries(dashboard.RootElement).ToArray();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            var names = Identifiers(query);
            var used = names.Where(static n => n.EndsWith("_bucket", StringComparison.Ordinal) || n.EndsWith("_count", StringComparison.Ordinal)
                || n.EndsWith("_total", StringComparison.Ordinal) || n is "keel_memory_load" or "keel_input_drift").ToArray();
            Assert.NotEmpty(used);
            if (used.All(s_notThisService.Contains))
            {
                continue;
            }

            foreach (var metric in used.Where(static m => !s_notThisService.Contains(m)))
            {
                // keel_memory_load describes the process and has no model label.
                Assert.True(metric == "keel_memory_load" ? metrics.Contains(metric) : lines.Any(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains("keel_model=\"resnet18\"", StringComparison.Ordinal)),
                    $"the panel query {query} finds no {metric} series of model resnet18 in the service's scrape");
            }

            Assert.All(names.Where(n => !used.Contains(n) && !s_promQl.Contains(n)), n => Assert.Contains(n, labels));
        }
    }

    private static IEnumerable<string> Queries(JsonElement root)
    {
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }
    }

    /// <summary>The identifiers of a query, without quoted strings, Grafana variables and numbers.</summary>
    private static HashSet<string> Identifiers(string query) =>
        Identifier().Matches(Variable().Replace(Quoted().Replace(query, string.Empty), string.Empty)).Select(static m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Name();

    [GeneratedRegex("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"")]
    private static partial Regex Label();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
