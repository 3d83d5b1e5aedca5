using System.Net;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Retry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real Kestrel host on 127.0.0.1 and a free port, with Keel's Prometheus endpoint at <c>/metrics</c>, whose
/// pipelines have recorded on every Keel instrument and every outcome.
/// </summary>
internal sealed class KeelTestHost : IAsyncDisposable
{
    public const string Model = "fraud";
    public const string Version = "3.2.0";

    private readonly WebApplication _app;
    private readonly SemaphoreSlim _prometheusScrapes;

    private KeelTestHost(WebApplication app, Uri address, SemaphoreSlim prometheusScrapes)
    {
        _app = app;
        _prometheusScrapes = prometheusScrapes;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KeelTestHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddKeel().AddPrometheusMetrics();
        var app = builder.Build();
        var prometheusScrapes = new SemaphoreSlim(0);
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Headers.UserAgent.ToString().StartsWith("Prometheus/", StringComparison.Ordinal))
            {
                prometheusScrapes.Release();
            }
        });
        app.MapKeelMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var host = new KeelTestHost(app, new Uri(address), prometheusScrapes);
        await host.ExerciseEveryInstrumentAsync();
        return host;
    }

    /// <summary>
    /// Waits until a Prometheus server has scraped this host <paramref name="count"/> more times (by its user agent),
    /// or <paramref name="exited"/> completes first. A scrape's samples are committed before the next scrape starts.
    /// </summary>
    public async Task<bool> WaitForPrometheusScrapesAsync(int count, Task exited, TimeSpan timeout)
    {
        for (var i = 0; i < count; i++)
        {
            var scraped = _prometheusScrapes.WaitAsync(timeout);
            if (await Task.WhenAny(scraped, exited) != scraped || !await scraped)
            {
                return false;
            }
        }

        return true;
    }

    public async Task<string> ScrapeAsync()
    {
        using var response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _prometheusScrapes.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Every outcome through a monitored pipeline, and one measurement on each instrument whose producer is another decorator.</summary>
    private async Task ExerciseEveryInstrumentAsync()
    {
        var factory = _app.Services.GetRequiredService<InferencePipelineFactory>();
        var retry = new RetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(1) };
        var failFirst = true;
        var scores = factory.For<float[], float>(Model, Version)
            .UseMonitor(o => { o.RecordPredictions = true; o.RecordSizes = true; })
            .UseCacheResult(new CacheResultOptions())
            .UseRetry(retry)
            .Build((x, _) =>
            {
                if (x[0] < 0 && failFirst)
                {
                    failFirst = false;
                    throw new TransientException("feature store busy");
                }

                return x[0] > 100 ? throw new InvalidOperationException("model not loaded") : new ValueTask<float>(x.Sum() / x.Length);
            });
        await scores.ExecuteAsync([0.5f, 0.25f]);
        await scores.ExecuteAsync([0.5f, 0.25f]);
        await scores.ExecuteAsync([-1f, 0.25f]);
        await CatchAsync(scores.ExecuteAsync([101f]));

        var invalid = factory.For<float[], float>(Model, Version).UseMonitor(o => o.RecordSizes = true)
            .Build((_, _) => ValueTask.FromException<float>(new InputValidationException([new InputViolation("features", "Finite", "finite", "NaN")])));
        await CatchAsync(invalid.ExecuteAsync([float.NaN]));
        var rejected = factory.For<float[], float>(Model, Version).UseMonitor(o => o.RecordSizes = true)
            .Build((_, _) => ValueTask.FromException<float>(new MemoryPressureException(0.95, 0.9, TimeSpan.FromSeconds(1))));
        await CatchAsync(rejected.ExecuteAsync([1f]));

        var instruments = _app.Services.GetRequiredService<KeelInstruments>();
        instruments.CreateCacheTelemetry(new PipelineIdentity(Model, Version, InferencePipeline.DefaultOperationName)).SharedUnavailable.Increment();
        instruments.RecordRetryBudgetExhausted(Model, Version, InferencePipeline.DefaultOperationName, "(code)");
        instruments.RecordValidationViolation(Model, Version, InferencePipeline.DefaultOperationName, "Within", "warn");
        instruments.RecordInputDrift(Model, Version, "amount", 0.12);
        instruments.RecordMemoryLoad(0.42);
        instruments.RecordMemoryRejection(Model, Version, InferencePipeline.DefaultOperationName, "reject");
    }

    private static async Task CatchAsync(ValueTask<float> call)
    {
        try
        {
            await call;
        }
        catch (Exception exception) when (exception is InvalidOperationException or InputValidationException or MemoryPressureException)
        {
        }
    }
}
