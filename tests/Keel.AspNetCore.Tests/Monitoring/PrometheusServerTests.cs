using System.Text.Json;
using Keel.AspNetCore.Tests.TestSupport;

namespace Keel.AspNetCore.Tests.Monitoring;

/// <summary>A real Prometheus server, started and stopped by the test on 127.0.0.1, scrapes a Keel host.</summary>
public sealed class PrometheusServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-prometheus-").FullName;
    private KeelTestHost _host = null!;

    public async Task InitializeAsync() => _host = await KeelTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Prometheus_ScrapingKeelHost_ReturnsDurationSeriesWithModelAndVersionLabels()
    {
        await using var prometheus = await PrometheusServer.StartAsync(_directory, "keel", _host.Address.Authority);

        // Awaited, not polled: after Prometheus's second scrape of the host has begun, the first one's samples are in
        // its database (a target's scrapes run one after another), so a single query must find them.
        var exited = prometheus.WaitForExitAsync();
        Assert.True(
            await _host.WaitForPrometheusScrapesAsync(2, exited, Deadline),
            prometheus.HasExited
                ? $"prometheus exited with code {prometheus.ExitCode}:\n{prometheus.Log}"
                : $"prometheus did not scrape the host twice within {Deadline.TotalSeconds} s:\n{prometheus.Log}");
        var series = await QuerySeriesAsync(prometheus);

        Assert.Contains(series, s => s.GetProperty("metric").GetProperty("keel_model").GetString() == KeelTestHost.Model
            && s.GetProperty("metric").GetProperty("keel_model_version").GetString() == KeelTestHost.Version
            && s.GetProperty("metric").GetProperty("keel_outcome").GetString() == "success");
    }

    private static async Task<List<JsonElement>> QuerySeriesAsync(PrometheusServer prometheus)
    {
        var answer = await prometheus.Client.GetStringAsync(new Uri("/api/v1/query?query=keel_inference_duration_seconds_count", UriKind.Relative));
        using var document = JsonDocument.Parse(answer);
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        Assert.True(result.GetArrayLength() > 0, $"No keel_inference_duration_seconds_count series after two scrapes. Answer: {answer}\nprometheus log:\n{prometheus.Log}");
        return [.. result.EnumerateArray().Select(static e => e.Clone())];
    }
}
