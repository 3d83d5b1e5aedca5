using Keel.AspNetCore.Tests.TestSupport;

namespace Keel.AspNetCore.Tests.Monitoring;

public sealed class PrometheusEndpointTests : IAsyncLifetime
{
    private KeelTestHost _host = null!;

    public async Task InitializeAsync() => _host = await KeelTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task MapKeelMetrics_Scrape_PassesPromtoolCheckMetricsWithNoComplaint()
    {
        var scrape = await _host.ScrapeAsync();

        var (exitCode, output) = await Tool.RunAsync("promtool", "check metrics", scrape);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- scrape ---\n{scrape}");
    }

    [Fact]
    public async Task MapKeelMetrics_Scrape_HasEveryKeelMetricUnderItsPrometheusName()
    {
        var names = Scrape.MetricNames(await _host.ScrapeAsync());

        string[] expected =
        [
            "keel_inference_duration_seconds_bucket", "keel_inference_duration_seconds_count", "keel_inference_duration_seconds_sum",
            "keel_inference_input_size_bucket", "keel_inference_output_size_bucket", "keel_inference_prediction_bucket",
            "keel_cache_lookups_total", "keel_retry_attempts_total", "keel_retry_budget_exhausted_total",
            "keel_validation_violations_total", "keel_input_drift", "keel_memory_load", "keel_memory_rejections_total",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
    }

    [Theory]
    [InlineData("success")]
    [InlineData("cache_hit")]
    [InlineData("error")]
    [InlineData("invalid")]
    [InlineData("rejected")]
    public async Task MapKeelMetrics_Scrape_CountsEachOutcomeWithModelAndVersion(string outcome)
    {
        var scrape = await _host.ScrapeAsync();

        var line = Assert.Single(scrape.Split('\n'), l => l.StartsWith("keel_inference_duration_seconds_count{", StringComparison.Ordinal) && l.Contains($"keel_outcome=\"{outcome}\"", StringComparison.Ordinal));
        Assert.Contains("keel_model=\"fraud\"", line, StringComparison.Ordinal);
        Assert.Contains("keel_model_version=\"3.2.0\"", line, StringComparison.Ordinal);
        Assert.Contains("keel_operation=\"predict\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapKeelMetrics_ErrorOutcome_CarriesErrorTypeLabel()
    {
        var scrape = await _host.ScrapeAsync();

        Assert.Contains(scrape.Split('\n'), l => l.StartsWith("keel_inference_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("error_type=\"System.InvalidOperationException\"", StringComparison.Ordinal)
            && l.Contains("keel_outcome=\"error\"", StringComparison.Ordinal));
    }
}
