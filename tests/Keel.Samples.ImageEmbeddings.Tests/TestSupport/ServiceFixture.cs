using Microsoft.AspNetCore.Http;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>
/// One service process shared by the tests that neither stop it nor depend on its load: fetching by URL allowed from
/// <see cref="Images"/> (a flaky image host on 127.0.0.1) and not from <see cref="Forbidden"/> (another host on
/// 127.0.0.1 that must never be asked), one-second fetch attempts and short backoff so retries take little time.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const int MaxAttempts = 3;

    internal Origin Images { get; private set; } = null!;

    internal Origin Forbidden { get; private set; } = null!;

    internal ServiceProcess Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Forbidden = await Origin.StartAsync(static (context, _) => Image(context, TestImages.Png(TestImages.Scene.Landscape, 320, 240), "image/png"));
        Images = await Origin.StartAsync(ServeAsync);
        Service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Embeddings__Url__AllowedOrigins__0"] = Images.Address.GetLeftPart(UriPartial.Authority),
            ["Embeddings__Url__AttemptTimeoutSeconds"] = "1",
            ["Keel__Retry__image-fetch__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Keel__Retry__image-fetch__BaseDelay"] = "00:00:00.050",
            ["Keel__Retry__image-fetch__MaxDelay"] = "00:00:02",
            ["Keel__Retry__image-fetch__Budget__MaxTokens"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (Images is not null)
        {
            await Images.DisposeAsync();
        }

        if (Forbidden is not null)
        {
            await Forbidden.DisposeAsync();
        }
    }

    /// <summary>
    /// The image host's paths: <c>/landscape.png</c>, <c>/landscape.jpg</c>; <c>/flaky/…</c> fails twice (503, then 500)
    /// then serves; <c>/retry-after/…</c> answers 503 with Retry-After: 1 once; <c>/always-500/…</c>, <c>/missing/…</c>
    /// (404), <c>/slow/…</c> (never answers within an attempt), <c>/html/…</c>, <c>/huge/…</c> (over the size limit),
    /// <c>/redirect-away/…</c> (to the forbidden host) and <c>/redirect-home/…</c> (to <c>/landscape.png</c>).
    /// </summary>
    private Task ServeAsync(HttpContext context, int count)
    {
        var path = context.Request.Path.Value ?? "/";
        var png = TestImages.Png(TestImages.Scene.Landscape, 320, 240);
        switch (path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault())
        {
            case "landscape.png":
                return Image(context, png, "image/png");
            case "landscape.jpg":
                return Image(context, TestImages.Jpeg(TestImages.Scene.Landscape, 320, 240), "image/jpeg");
            case "flaky":
                return count switch
                {
                    1 => Status(context, StatusCodes.Status503ServiceUnavailable),
                    2 => Status(context, StatusCodes.Status500InternalServerError),
                    _ => Image(context, png, "image/png"),
                };
            case "retry-after" when count == 1:
                context.Response.Headers.RetryAfter = "1";
                return Status(context, StatusCodes.Status503ServiceUnavailable);
            case "retry-after":
                return Image(context, png, "image/png");
            case "always-500":
                return Status(context, StatusCodes.Status500InternalServerError);
            case "slow":
                return Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            case "html":
                context.Response.ContentType = "text/html";
                return context.Response.WriteAsync("<html>not an image</html>");
            case "huge":
                return Image(context, new byte[(8 << 20) + 1], "image/png");
            case "redirect-away":
                context.Response.Redirect(Forbidden.Url("/landscape.png").ToString());
                return Task.CompletedTask;
            case "redirect-home":
                context.Response.Redirect("/landscape.png");
                return Task.CompletedTask;
            default:
                return Status(context, StatusCodes.Status404NotFound);
        }
    }

    private static Task Image(HttpContext context, byte[] bytes, string mediaType)
    {
        context.Response.ContentType = mediaType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }

    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
