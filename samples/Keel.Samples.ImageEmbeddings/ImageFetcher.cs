using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Fetches an image by URL from an allow-listed origin: the flaky dependency of the service, under Keel's
/// <c>[Retry("image-fetch")]</c> (5xx, 408, 429, timeouts and connection failures retried with jittered exponential
/// backoff under a retry budget, a server's Retry-After honoured; the profile's values are in <c>appsettings.json</c>)
/// and <c>[Monitor]</c>. Each attempt has its own timeout;
/// redirects are followed by hand, each target checked against <see cref="UrlPolicy"/> before it is requested; the
/// body is capped while it streams in; responses are never decompressed; no proxy is used, so the address connected to
/// is the one the policy checked.
/// </summary>
[InferenceModel(ResNet18.Name, ResNet18.Version)]
internal sealed partial class ImageFetcher : IDisposable
{
    public const string RetryProfile = "image-fetch";

    private static readonly AsyncLocal<AttemptCounter?> s_attempts = new();
    private readonly HttpClient _client;
    private readonly UrlPolicy _policy;
    private readonly ServiceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly InferencePipelineProvider _pipelines;

    public ImageFetcher(UrlPolicy policy, ServiceOptions options, TimeProvider timeProvider, InferencePipelineProvider pipelines)
        : this(policy, options, timeProvider, pipelines, CreateHandler(policy, options))
    {
    }

    /// <summary>With a handler of the caller's (tests); the handler is disposed with the fetcher.</summary>
    public ImageFetcher(UrlPolicy policy, ServiceOptions options, TimeProvider timeProvider, InferencePipelineProvider pipelines, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(handler);
        _policy = policy;
        _options = options;
        _timeProvider = timeProvider;
        _pipelines = pipelines;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Checks <paramref name="url"/> against the policy and fetches it; a refusal or a failed origin comes back as a problem (422 or 502).</summary>
    public async ValueTask<FetchResult> FetchAsync(string? url, CancellationToken cancellationToken)
    {
        if (_policy.Check(url, out var uri) is { } refused)
        {
            return new FetchResult(null, refused);
        }

        var attempts = new AttemptCounter();
        s_attempts.Value = attempts;
        try
        {
            return new FetchResult(await FetchImageAsync(uri!, cancellationToken).ConfigureAwait(false), null);
        }
        catch (UrlRefusedException exception)
        {
            return new FetchResult(null, exception.Problem);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or TransientException or OriginException)
        {
            return new FetchResult(null, new RequestProblem(
                StatusCodes.Status502BadGateway,
                "origin-failed",
                "The image's origin failed.",
                string.Create(CultureInfo.InvariantCulture, $"The origin {UrlPolicy.Origin(uri!)} failed after {attempts.Count} attempt(s): {Describe(exception)}")));
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>One fetch of an allowed URL, retried by Keel (operation <c>fetch_image</c>); the body is <see cref="FetchImageCoreAsync"/>.</summary>
    [Monitor, Retry(RetryProfile)]
    private partial ValueTask<FetchedImage> FetchImageAsync(Uri uri, CancellationToken cancellationToken);

    private async ValueTask<FetchedImage> FetchImageCoreAsync(Uri uri, CancellationToken cancellationToken)
    {
        s_attempts.Value?.Increment();
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var current = uri;
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd("image/png, image/jpeg");
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    current = Redirect(current, response, redirects);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    if (status is 429 or 503 && RetryAfter(response) is { } hint)
                    {
                        throw new TransientException($"the origin answered {status} with Retry-After") { RetryAfter = hint };
                    }

                    // Keel's default predicate retries 408, 429 and 5xx, and nothing else.
                    throw new HttpRequestException($"the origin answered {status}", null, response.StatusCode);
                }

                return await ReadImageAsync(response, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the origin did not answer within {_options.AttemptTimeout.TotalSeconds} s"));
        }
        catch (HttpRequestException exception) when (exception.InnerException is AddressRefusedException)
        {
            throw new UrlRefusedException(RequestProblem.Invalid("url-address-not-allowed", "The URL's host resolves to an address that is not allowed.",
                "The allowed host name resolves to a loopback, private or link-local address; nothing was requested from it."));
        }
    }

    private Uri Redirect(Uri current, HttpResponseMessage response, int redirects)
    {
        if (redirects >= _options.MaxRedirects)
        {
            throw new OriginException(string.Create(CultureInfo.InvariantCulture, $"more than {_options.MaxRedirects} redirects"));
        }

        if (response.Headers.Location is not { } location)
        {
            throw new OriginException("a redirect without a Location");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (_policy.Check(target, out var next) is { } problem)
        {
            throw new UrlRefusedException(problem with { Reason = "redirect-not-allowed", Title = "The URL redirects to a URL that is not allowed." });
        }

        return next!;
    }

    private async ValueTask<FetchedImage> ReadImageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
        if (mediaType is not (ImageDecoder.Png or ImageDecoder.Jpeg))
        {
            throw new UrlRefusedException(RequestProblem.Invalid("url-not-an-image", "The URL does not point at a PNG or JPEG image.",
                $"The origin answered with Content-Type '{RequestProblem.Truncate(mediaType ?? "none", 100)}'; it must be image/png or image/jpeg."));
        }

        var limit = _options.MaxImageBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = await CappedReader.ReadAsync(stream, limit, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
            return bytes is null ? throw TooLarge(limit) : new FetchedImage(bytes, mediaType);
        }
    }

    private static UrlRefusedException TooLarge(int limit) => new(RequestProblem.Invalid("url-image-too-large", "The image at the URL is too large.",
        string.Create(CultureInfo.InvariantCulture, $"The origin's image is larger than the limit of {limit} bytes.")));

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>What went wrong, in the service's own words: never the URL's path or query, which may carry a token.</summary>
    private static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: null } http => $"it could not be reached ({http.HttpRequestError})",
        _ => exception.Message,
    };

    private static SocketsHttpHandler CreateHandler(UrlPolicy policy, ServiceOptions options) => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = options.AttemptTimeout,
        MaxResponseHeadersLength = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);

            // Every address the name resolves to must be allowed, so a rebinding answer cannot slip one in.
            if (addresses.Length == 0 || !addresses.All(address => policy.MayConnect(host, address)))
            {
                throw new AddressRefusedException();
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private sealed class AttemptCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    private sealed class AddressRefusedException : Exception;
}

/// <summary>An image fetched by URL, with the media type its origin gave.</summary>
internal sealed record FetchedImage(byte[] Bytes, string MediaType);

/// <summary>A fetched image, or the problem to answer instead.</summary>
internal readonly record struct FetchResult(FetchedImage? Image, RequestProblem? Problem);

/// <summary>A URL or redirect the policy refuses, or an origin's answer the service will not use: 422, never retried.</summary>
internal sealed class UrlRefusedException(RequestProblem problem) : InferenceRefusedException(problem.Detail)
{
    public RequestProblem Problem { get; } = problem;

    public override string Outcome => Monitoring.KeelOutcomes.Invalid;
}

/// <summary>An origin that answered in a way no retry will fix (too many redirects, a redirect without a target).</summary>
internal sealed class OriginException(string message) : Exception(message);
