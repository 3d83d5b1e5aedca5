using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var port = FreePort();
        var config = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: keel
                scrape_interval: 1s
                static_configs:
                  - targets: ['{_host.Address.Authority}']
            """);
        var start = new ProcessStartInfo(Tool.Require("prometheus"))
        {
            ArgumentList =
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
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
            // Awaited, not polled: after Prometheus's second scrape of the host has begun, the first one's samples are in
            // its database (a target's scrapes run one after another), so a single query must find them.
            var exited = prometheus.WaitForExitAsync();
            Assert.True(
                await _host.WaitForPrometheusScrapesAsync(2, exited, Deadline),
                prometheus.HasExited
                    ? $"prometheus exited with code {prometheus.ExitCode}:\n{Read(log)}"
                    : $"prometheus did not scrape the host twice within {Deadline.TotalSeconds} s:\n{Read(log)}");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
            var series = await QuerySeriesAsync(client, log);

            Assert.Contains(series, s => s.GetProperty("metric").GetProperty("keel_model").GetString() == KeelTestHost.Model
                && s.GetProperty("metric").GetProperty("keel_model_version").GetString() == KeelTestHost.Version
                && s.GetProperty("metric").GetProperty("keel_outcome").GetString() == "success");
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

    private static async Task<List<JsonElement>> QuerySeriesAsync(HttpClient client, StringBuilder log)
    {
        var answer = await client.GetStringAsync(new Uri("/api/v1/query?query=keel_inference_duration_seconds_count", UriKind.Relative));
        using var document = JsonDocument.Parse(answer);
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        Assert.True(result.GetArrayLength() > 0, $"No keel_inference_duration_seconds_count series after two scrapes. Answer: {answer}\nprometheus log:\n{Read(log)}");
        return [.. result.EnumerateArray().Select(static e => e.Clone())];
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
}
