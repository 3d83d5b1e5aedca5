using System.Net;
using System.Net.Http.Headers;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Samples.ImageEmbeddings.Tests.Parts;

/// <summary>The fetcher under Keel's retry, on a fake clock and a scripted handler: no network, no real waiting.</summary>
public sealed class ImageFetcherTests : IDisposable
{
    private static readonly Uri s_origin = new("https://images.example.com");
    private readonly SignallingTimeProvider _time = new();
    private readonly ScriptedHandler _handler = new();
    private readonly ServiceProvider _services;
    private readonly ImageFetcher _fetcher;

    public ImageFetcherTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keel:Retry:image-fetch:MaxAttempts"] = "3",
            ["Keel:Retry:image-fetch:BaseDelay"] = "00:00:00.200",
            ["Keel:Retry:image-fetch:MaxDelay"] = "00:00:10",
            ["Keel:Retry:image-fetch:Jitter"] = "None",
        }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddKeel(configuration.GetSection("Keel"));
        _services = services.BuildServiceProvider();
        var options = new ServiceOptions { AllowedOrigins = [s_origin], AttemptTimeout = TimeSpan.FromSeconds(5) };
        _fetcher = new ImageFetcher(new UrlPolicy(options), options, _time, _services.GetRequiredService<InferencePipelineProvider>(), _handler);
    }

    public void Dispose()
    {
        _fetcher.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task FetchAsync_503WithRetryAfter_WaitsExactlyTheHintBeforeTheSecondAttempt()
    {
        _handler.Respond(_ => Status(HttpStatusCode.ServiceUnavailable, retryAfter: TimeSpan.FromSeconds(3)));
        _handler.Respond(_ => Image());

        var fetch = _fetcher.FetchAsync("https://images.example.com/a.png", CancellationToken.None).AsTask();
        await WaitForWaitAsync(TimeSpan.FromSeconds(3));
        _time.Fake.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(1, _handler.Requests);
        _time.Fake.Advance(TimeSpan.FromSeconds(0.1));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(result.Image);
        Assert.Equal(2, _handler.Requests);
    }

    [Fact]
    public async Task FetchAsync_AttemptThatDoesNotAnswer_TimesOutAndIsRetried()
    {
        _handler.Respond(static async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return Image();
        });
        _handler.Respond(_ => Image());

        var fetch = _fetcher.FetchAsync("https://images.example.com/slow.png", CancellationToken.None).AsTask();
        await WaitForWaitAsync(TimeSpan.FromSeconds(5));    // the attempt's timeout
        _time.Fake.Advance(TimeSpan.FromSeconds(5));
        await WaitForWaitAsync(TimeSpan.FromSeconds(0.2));  // the backoff before the retry
        _time.Fake.Advance(TimeSpan.FromSeconds(0.2));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(result.Image);
        Assert.Equal(2, _handler.Requests);
    }

    [Fact]
    public async Task FetchAsync_404_IsNotRetriedAndIsA502()
    {
        _handler.Respond(_ => Status(HttpStatusCode.NotFound));

        var result = await _fetcher.FetchAsync("https://images.example.com/gone.png", CancellationToken.None);

        Assert.Equal(502, result.Problem?.Status);
        Assert.Equal("The origin https://images.example.com:443 failed after 1 attempt(s): the origin answered 404", result.Problem!.Detail);
        Assert.Equal(1, _handler.Requests);
    }

    [Fact]
    public async Task FetchAsync_RedirectOffTheAllowList_IsRefusedWithoutRequestingIt()
    {
        _handler.Respond(_ =>
        {
            var response = Status(HttpStatusCode.Found);
            response.Headers.Location = new Uri("http://169.254.169.254/latest/meta-data/");
            return response;
        });

        var result = await _fetcher.FetchAsync("https://images.example.com/r", CancellationToken.None);

        Assert.Equal("redirect-not-allowed", result.Problem?.Reason);
        Assert.Equal([new Uri("https://images.example.com/r")], _handler.Urls);
    }

    [Fact]
    public async Task FetchAsync_BodyLongerThanItsLimit_IsRefusedWhileStreaming()
    {
        _handler.Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(new byte[(8 << 20) + 1])) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            return response;
        });

        var result = await _fetcher.FetchAsync("https://images.example.com/huge.png", CancellationToken.None);

        Assert.Equal("url-image-too-large", result.Problem?.Reason);
    }

    [Fact]
    public async Task FetchAsync_DisallowedUrl_SendsNothing()
    {
        var result = await _fetcher.FetchAsync("http://10.0.0.1/a.png", CancellationToken.None);

        Assert.Equal("url-not-allowed", result.Problem?.Reason);
        Assert.Equal(0, _handler.Requests);
    }

    /// <summary>Waits until the code under test starts a timer of <paramref name="dueTime"/> (the fetch's timeout or the retry's wait).</summary>
    private async Task WaitForWaitAsync(TimeSpan dueTime)
    {
        while (true)
        {
            lock (_time.RequestedWaits)
            {
                if (_time.RequestedWaits.Remove(dueTime))
                {
                    return;
                }
            }

            await _time.WaitForTimerAsync();
        }
    }

    private static HttpResponseMessage Image()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(TestImages.Png(TestImages.Scene.Target, 32, 32)) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return response;
    }

    private static HttpResponseMessage Status(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } delta)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delta);
        }

        return response;
    }

    /// <summary>Answers requests in order with the responses the test queued, and records them.</summary>
    private sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _responses = new();
        private readonly List<Uri> _urls = [];

        public int Requests
        {
            get
            {
                lock (_urls)
                {
                    return _urls.Count;
                }
            }
        }

        public IReadOnlyList<Uri> Urls
        {
            get
            {
                lock (_urls)
                {
                    return [.. _urls];
                }
            }
        }

        public void Respond(Func<HttpRequestMessage, HttpResponseMessage> respond) => _responses.Enqueue((request, _) => Task.FromResult(respond(request)));

        public void Respond(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) => _responses.Enqueue(respond);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond;
            lock (_urls)
            {
                _urls.Add(request.RequestUri!);
                respond = _responses.Dequeue();
            }

            return respond(request, cancellationToken);
        }
    }
}
