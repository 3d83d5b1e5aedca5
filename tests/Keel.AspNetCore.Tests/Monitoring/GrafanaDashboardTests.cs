using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.AspNetCore.Tests.TestSupport;

namespace Keel.AspNetCore.Tests.Monitoring;

/// <summary>
/// The dashboard in docs/grafana is built on the names Keel really emits: every metric and label in its PromQL is
/// checked against a scrape of a host that recorded on every instrument.
/// </summary>
public sealed partial class GrafanaDashboardTests : IAsyncLifetime
{
    /// <summary>Functions, keywords and the labels Prometheus adds itself.</summary>
    private static readonly HashSet<string> PromQl = new(StringComparer.Ordinal)
    {
        "histogram_quantile", "sum", "max", "rate", "by", "ignoring", "group_left", "label_values", "le", "instance", "job",
    };

    private KeelTestHost _host = null!;

    public async Task InitializeAsync() => _host = await KeelTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Dashboard_Json_IsAGrafanaDashboardWithPanelsAndQueries()
    {
        using var dashboard = Load();
        var root = dashboard.RootElement;

        Assert.Equal("keel-inference", root.GetProperty("uid").GetString());
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.True(panels.Length >= 10);
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, panel =>
        {
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()));
            Assert.Contains(panel.GetProperty("type").GetString(), new[] { "timeseries", "heatmap", "stat", "gauge" });
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()));
        });
    }

    [Fact]
    public async Task Dashboard_EveryQuery_UsesOnlyMetricAndLabelNamesKeelEmits()
    {
        var scrape = await _host.ScrapeAsync();
        var metrics = Scrape.MetricNames(scrape);
        var labels = Scrape.LabelNames(scrape);
        using var dashboard = Load();

        var queries = Queries(dashboard.RootElement).ToArray();

        Assert.True(queries.Length >= 15);
        foreach (var query in queries)
        {
            var names = Identifiers(query);
            Assert.Contains(names, metrics.Contains);
            foreach (var name in names)
            {
                Assert.True(
                    metrics.Contains(name) || labels.Contains(name) || PromQl.Contains(name),
                    $"'{name}' in the query {query} is neither a metric nor a label Keel emits.");
            }
        }
    }

    [Theory]
    [InlineData("keel_inference_duration_seconds_bucket")]
    [InlineData("keel_cache_lookups_total")]
    [InlineData("keel_retry_attempts_total")]
    [InlineData("keel_memory_load")]
    [InlineData("keel_input_drift")]
    public void Dashboard_Panels_CoverMetric(string metric)
    {
        using var dashboard = Load();

        Assert.Contains(Queries(dashboard.RootElement), q => Identifiers(q).Contains(metric));
    }

    private static JsonDocument Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Keel.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "docs", "grafana", "keel-dashboard.json")));
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

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                yield return variable.GetProperty("query").GetString()!;
            }
        }
    }

    /// <summary>The identifiers of a query, without quoted strings, Grafana variables and numbers.</summary>
    private static HashSet<string> Identifiers(string query)
    {
        var bare = Variable().Replace(Quoted().Replace(query, string.Empty), string.Empty);
        return Identifier().Matches(bare).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
