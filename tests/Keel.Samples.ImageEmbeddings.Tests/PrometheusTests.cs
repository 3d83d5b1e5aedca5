using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Keel.AspNetCore.Tests.TestSupport;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>The service's <c>/metrics</c>, checked by the real <c>promtool</c> and scraped by a real <c>prometheus</c> on 127.0.0.1.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class PrometheusTests(ServiceFixture fixture)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_AfterEveryKindOfAnswer_PassPromtoolCheckMetrics()
    {
        await Exercise();
        var scrape = await fixture.Service.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var (exitCode, output) = await Tool.RunAsync("promtool", "check metrics", scrape);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- scrape ---\n{scrape}");
        foreach (var name in new[] { "keel_inference_duration_seconds_count", "keel_cache_lookups_total", "keel_memory_load", "embeddings_model_runs_total", "embeddings_requests_refused_total" })
        {
            Assert.Contains(name, scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prometheus_ScrapingTheService_StoresTheModelsSeries()
    {
        await Exercise();
        using var directory = new TempDirectory();
        await using var prometheus = await PrometheusServer.StartAsync(directory.Path, "image-embeddings", fixture.Service.Address.Authority);

        var series = await PollSeriesAsync(prometheus);

        Assert.Contains(series, static s => s.GetProperty("metric").GetProperty("keel_model").GetString() == "resnet18"
            && s.GetProperty("metric").GetProperty("keel_model_version").GetString() == "0.23.1"
            && s.GetProperty("metric").GetProperty("keel_operation").GetString() == "embed");
    }

    /// <summary>A success, a cache hit and an invalid input, so every family of the scrape has samples.</summary>
    private async Task Exercise()
    {
        var png = TestImages.Noise(seed: 5000);
        await Api.EmbedAsync(fixture.Service.Client, png, "image/png");
        await Api.EmbedAsync(fixture.Service.Client, png, "image/png");
        using var invalid = await Api.PostAsync(fixture.Service.Client, CraftedFiles.Tensor(float.NaN), "application/octet-stream");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
    }

    /// <summary>Queries Prometheus until the model's duration series is stored (its first scrapes start about a second in), for 60 s at most.</summary>
    private static async Task<List<JsonElement>> PollSeriesAsync(PrometheusServer prometheus)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited:\n{prometheus.Log}");
            try
            {
                var answer = await prometheus.Client.GetStringAsync(new Uri("/api/v1/query?query=keel_inference_duration_seconds_count", UriKind.Relative));
                using var document = JsonDocument.Parse(answer);
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return [.. result.EnumerateArray().Select(static e => e.Clone())];
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(stopwatch.Elapsed < s_deadline, $"prometheus stored no keel_inference_duration_seconds_count within {s_deadline}:\n{prometheus.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("keel-service-prometheus-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
