using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.AspNetCore.Tests;

/// <summary>
/// The problem details without reflection-based JSON, as under Native AOT: the application's HTTP JSON options start
/// with no resolver at all, so every type written must come from a source-generated context (ASP.NET Core's own for
/// <c>ProblemDetails</c>, Keel's for the extension values). Before Keel registered its context, both responses were
/// empty 500s. .ci/run checks the same on a real AOT-published binary.
/// </summary>
public sealed class KeelProblemDetailsJsonTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolverChain.Clear());
        builder.Services.AddKeel();
        builder.Services.AddKeelProblemDetails();
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.MapGet("/invalid", string () => throw new InputValidationException([new InputViolation("features[3]", "finite", "a finite number", "NaN")]));
        _app.MapGet("/pressure", string () => throw new MemoryPressureException(0.95, 0.9, TimeSpan.FromSeconds(1.5)));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Get_InvalidInputWithoutReflectionJson_Returns422WithViolations()
    {
        using var response = await _client.GetAsync(new Uri("/invalid", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var violation = Assert.Single(body.RootElement.GetProperty("violations").EnumerateArray().ToArray());
        Assert.Equal("features[3]", violation.GetProperty("parameter").GetString());
        Assert.Equal("finite", violation.GetProperty("rule").GetString());
        Assert.Equal("a finite number", violation.GetProperty("expected").GetString());
        Assert.Equal("NaN", violation.GetProperty("actual").GetString());
        Assert.Equal("features[3]: expected a finite number, got NaN", violation.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_MemoryPressureWithoutReflectionJson_Returns503WithRetryAfterAndLoads()
    {
        using var response = await _client.GetAsync(new Uri("/pressure", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(0.95, body.RootElement.GetProperty("memoryLoad").GetDouble(), 3);
        Assert.Equal(0.9, body.RootElement.GetProperty("maxMemoryLoad").GetDouble(), 3);
        Assert.Equal(2, body.RootElement.GetProperty("retryAfterSeconds").GetInt64());
    }
}
