using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var port = FreePort();
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: image-embeddings
                scrape_interval: 1s
                static_configs:
                  - targets: ['{fixture.Service.Address.Authority}']
            """);
        var start = new ProcessStartInfo(Tool.Require("prometheus"))
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var log = new StringBuilder();
        using var prometheus = new Process { StartInfo = start };
        prometheus.OutputDataReceived += (_, e) => Append(log, e.Data);
        prometheus.ErrorDataReceived += (_, e) => Append(log, e.Data);
        Assert.True(prometheus.Start());
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
            var series = await PollSeriesAsync(client, prometheus, log);

            Assert.Contains(series, static s => s.GetProperty("metric").GetProperty("keel_model").GetString() == "resnet18"
                && s.GetProperty("metric").GetProperty("keel_model_version").GetString() == "0.23.1"
                && s.GetProperty("metric").GetProperty("keel_operation").GetString() == "embed");
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill(entireProcessTree: true);
            }

            await prometheus.WaitForExitAsync();
        }
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
    private static async Task<List<JsonElement>> PollSeriesAsync(HttpClient client, Process prometheus, StringBuilder log)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited:\n{Read(log)}");
            try
            {
                var answer = await client.GetStringAsync(new Uri("/api/v1/query?query=keel_inference_duration_seconds_count", UriKind.Relative));
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

            Assert.True(stopwatch.Elapsed < s_deadline, $"prometheus stored no keel_inference_duration_seconds_count within {s_deadline}:\n{Read(log)}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("keel-service-prometheus-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
