using System.Net;
using Keel.AspNetCore.Tests.TestSupport;
using Keel.MemoryGuard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Keel.AspNetCore.Tests;

/// <summary>
/// Readiness with nothing but the README's lines, on a real Kestrel host on 127.0.0.1: a probe following the README
/// must fail (503) under memory pressure. The memory source is a fake, so the real host's memory never matters.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly FakeMemorySource _memory = new(limitBytes: 1_000_000_000, usedBytes: 500_000_000);
    private readonly FakeTimeProvider _time = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);

        // The README's lines, and the fake memory source.
        builder.Services.AddKeel().ConfigureMemorySampler(o =>
        {
            o.UseBuiltInSources = false;
            o.Sources.Add(_memory);
        });
        builder.Services.AddKeelProblemDetails();
        builder.Services.AddHealthChecks().AddKeelMemoryHealthCheck();
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.MapHealthChecks("/health/ready");

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Readiness_ReadmeLinesMemoryFine_Returns200()
    {
        using var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_ReadmeLinesUnderMemoryPressure_Returns503UntilMemoryFalls()
    {
        var sampler = _app.Services.GetRequiredService<MemorySampler>();
        _memory.UsedBytes = 950_000_000;
        _time.Advance(sampler.SampleInterval);

        using (var pressured = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, pressured.StatusCode);
            Assert.Equal("Unhealthy", await pressured.Content.ReadAsStringAsync());
        }

        _memory.UsedBytes = 400_000_000;
        _time.Advance(sampler.SampleInterval);

        using var recovered = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }
}
