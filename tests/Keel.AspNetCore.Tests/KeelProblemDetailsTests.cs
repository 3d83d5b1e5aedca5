using System.Net;
using System.Text.Json;
using Keel.AspNetCore.Tests.TestSupport;
using Keel.MemoryGuard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Keel.AspNetCore.Tests;

/// <summary>A small app on ASP.NET Core's test server: a guarded endpoint, a validating endpoint and a readiness endpoint.</summary>
public sealed class KeelProblemDetailsTests : IAsyncLifetime
{
    private readonly FakeMemorySource _memory = new(limitBytes: 1_000_000_000, usedBytes: 500_000_000);
    private readonly FakeTimeProvider _time = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddKeel()
            .ConfigureMemoryGuard("Default", o =>
            {
                o.Action = MemoryGuardAction.Reject;
                o.RetryAfter = TimeSpan.FromSeconds(2.2);
            })
            .ConfigureMemorySampler(o =>
            {
                o.UseBuiltInSources = false;
                o.Sources.Add(_memory);
            });
        builder.Services.AddKeelProblemDetails();
        builder.Services.AddHealthChecks()
            .AddKeelMemoryHealthCheck()
            .AddKeelMemoryHealthCheck("keel-memory-degraded", failureStatus: HealthStatus.Degraded, tags: ["ready-degraded"]);
        _app = builder.Build();
        _app.UseExceptionHandler();

        var score = _app.Services.GetRequiredService<InferencePipelineFactory>()
            .For<int, int>("fraud", "3.2.0").UseMemoryGuard().Build((x, _) => new ValueTask<int>(x + 1));
        _app.MapGet("/score/{x:int}", async (int x) => await score.ExecuteAsync(x));
        _app.MapGet("/invalid", string () => throw new InputValidationException(
        [
            new InputViolation("features", "shape", "shape [64]", "[63]"),
            new InputViolation("features[17]", "finite", "a finite number", "NaN"),
        ]));
        _app.MapGet("/broken", string () => throw new InvalidOperationException("not Keel's"));
        _app.MapHealthChecks("/health/ready");
        _app.MapHealthChecks("/health/ready-degraded", new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains("ready-degraded"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        });
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Get_MemoryFine_Returns200()
    {
        Assert.Equal("42", await _client.GetStringAsync(new Uri("/score/41", UriKind.Relative)));
    }

    [Fact]
    public async Task Get_UnderMemoryPressure_Returns503WithRetryAfterRoundedUpAndProblemJson()
    {
        Pressure();

        using var response = await _client.GetAsync(new Uri("/score/41", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(0.95, body.RootElement.GetProperty("memoryLoad").GetDouble(), 3);
        Assert.Equal(0.90, body.RootElement.GetProperty("maxMemoryLoad").GetDouble(), 3);
        Assert.Equal(3, body.RootElement.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Get_InvalidInput_Returns422ListingEveryViolation()
    {
        using var response = await _client.GetAsync(new Uri("/invalid", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var violations = body.RootElement.GetProperty("violations").EnumerateArray().ToArray();
        Assert.Equal(2, violations.Length);
        Assert.Equal("features", violations[0].GetProperty("parameter").GetString());
        Assert.Equal("shape", violations[0].GetProperty("rule").GetString());
        Assert.Equal("features[17]: expected a finite number, got NaN", violations[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_OtherException_IsNotKeels()
    {
        using var response = await _client.GetAsync(new Uri("/broken", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_MemoryFine_IsHealthy()
    {
        using var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_UnderMemoryPressure_IsUnhealthyAnd503()
    {
        Pressure();

        using var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var report = await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
        var entry = report.Entries["keel-memory"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("Under memory pressure: memory load 95.0 % (fake)", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_FailureStatusDegradedUnderPressure_IsDegraded()
    {
        Pressure();

        using var response = await _client.GetAsync(new Uri("/health/ready-degraded", UriKind.Relative));
        var report = await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
        Assert.Equal(HealthStatus.Degraded, report.Entries["keel-memory-degraded"].Status);
    }

    [Fact]
    public void AddKeelMemoryHealthCheck_InvalidArguments_Throw()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => MemoryPressureHealthCheckBuilderExtensions.AddKeelMemoryHealthCheck(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => builder.AddKeelMemoryHealthCheck(" ")).ParamName);
        Assert.Equal("profile", Assert.Throws<ArgumentException>(() => builder.AddKeelMemoryHealthCheck(profile: "")).ParamName);
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => KeelProblemDetailsServiceCollectionExtensions.AddKeelProblemDetails(null!)).ParamName);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(1.001, 2)]
    [InlineData(4.5, 5)]
    public void RetryAfterSeconds_FractionalSeconds_RoundsUp(double seconds, long expected) =>
        Assert.Equal(expected, KeelProblemDetailsExceptionHandler.RetryAfterSeconds(TimeSpan.FromSeconds(seconds)));

    private void Pressure()
    {
        _memory.UsedBytes = 950_000_000;
        _time.Advance(_app.Services.GetRequiredService<MemorySampler>().SampleInterval); // the sampler reads it
    }
}
