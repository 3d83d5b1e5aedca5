using System.Diagnostics;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>Fetching by URL from a flaky image host on 127.0.0.1, through the real service process.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class UrlFetchTests(ServiceFixture fixture)
{
    private HttpClient Client => fixture.Service.Client;

    private Origin Images => fixture.Images;

    [Fact]
    public async Task Url_FromAFlakyOrigin_IsFetchedAfterRetriesAndEmbeddedLikeTheImageItself()
    {
        var retriesBefore = await fixture.Service.MetricAsync("keel_retry_attempts_total", "keel_operation=\"fetch_image\"");

        var fetched = await Api.EmbedUrlAsync(Client, Images.Url("/flaky/a.png"));
        var direct = await Api.EmbedAsync(Client, TestImages.Png(TestImages.Scene.Landscape, 320, 240), "image/png");

        Assert.Equal(3, Images.Requests("/flaky/a.png"));
        Assert.Equal(direct.Values, fetched.Values);
        Assert.True(direct.Cached, "the fetched picture's embedding is the cache entry of the same picture sent as bytes");
        Assert.Equal(retriesBefore + 2, await fixture.Service.MetricAsync("keel_retry_attempts_total", "keel_operation=\"fetch_image\""));
    }

    [Fact]
    public async Task Url_OriginAnswering503WithRetryAfter_IsAskedAgainOnlyAfterTheHint()
    {
        var stopwatch = Stopwatch.StartNew();

        await Api.EmbedUrlAsync(Client, Images.Url("/retry-after/b.png"));

        Assert.Equal(2, Images.Requests("/retry-after/b.png"));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.95), $"the retry came {stopwatch.Elapsed.TotalSeconds:F2} s after the first answer, before Retry-After: 1");
    }

    [Theory]
    [InlineData("/always-500/c.png", ServiceFixture.MaxAttempts)]
    [InlineData("/slow/d.png", ServiceFixture.MaxAttempts)]
    [InlineData("/missing/e.png", 1)]
    public async Task Url_OriginStillFailing_Is502AfterTheAttemptsItDeserves(string path, int attempts)
    {
        using var response = await Api.PostUrlAsync(Client, Images.Url(path).ToString());

        var (status, reason, body) = await Api.ProblemAsync(response);
        Assert.Equal(502, status);
        Assert.Equal("origin-failed", reason);
        Assert.Contains($"after {attempts} attempt(s)", body, StringComparison.Ordinal);
        Assert.Equal(attempts, Images.Requests(path));
    }

    [Fact]
    public async Task Url_DisallowedOrigin_IsRefusedWithoutARequestToIt()
    {
        using var response = await Api.PostUrlAsync(Client, fixture.Forbidden.Url("/landscape.png?token=secret-value").ToString());

        var (status, reason, body) = await Api.ProblemAsync(response);
        Assert.Equal(422, status);
        Assert.Equal("url-not-allowed", reason);
        Assert.DoesNotContain("secret-value", body, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Forbidden.TotalRequests);
    }

    [Fact]
    public async Task Url_RedirectOffTheAllowList_IsNotFollowed()
    {
        using var response = await Api.PostUrlAsync(Client, Images.Url("/redirect-away/f").ToString());

        var (status, reason, _) = await Api.ProblemAsync(response);
        Assert.Equal(422, status);
        Assert.Equal("redirect-not-allowed", reason);
        Assert.Equal(1, Images.Requests("/redirect-away/f"));
        Assert.Equal(0, fixture.Forbidden.TotalRequests);
    }

    [Fact]
    public async Task Url_RedirectWithinTheOrigin_IsFollowed()
    {
        var answer = await Api.EmbedUrlAsync(Client, Images.Url("/redirect-home/g"));

        Assert.Equal(512, answer.Values.Length);
        Assert.Equal(1, Images.Requests("/redirect-home/g"));
    }

    [Fact]
    public async Task Url_WithCredentials_IsRefusedWithoutEchoingThem()
    {
        using var response = await Api.PostUrlAsync(Client, $"http://admin:hunter2@{Images.Address.Authority}/landscape.png");

        var (status, reason, body) = await Api.ProblemAsync(response);
        Assert.Equal(422, status);
        Assert.Equal("url-credentials", reason);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
    }
}
