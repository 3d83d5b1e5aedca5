using System.Net;
using System.Net.Sockets;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Which URLs the service may fetch an image from (server-side request forgery protection). A URL must be absolute,
/// http or https, without credentials, and its origin (scheme, host, port) must be one of
/// <c>Embeddings:Url:AllowedOrigins</c> exactly, after the same parsing the HTTP client connects by: a literal IP
/// (<c>http://169.254.169.254/</c>, <c>http://2130706433/</c>) is an origin like any other and is refused unless it is
/// listed. Redirects are checked against the same list before they are followed, and a listed host name must not
/// resolve to a loopback, private or link-local address unless <c>AllowPrivateAddresses</c> is set (DNS rebinding).
/// </summary>
internal sealed class UrlPolicy(ServiceOptions options)
{
    public const int MaxUrlLength = 2048;

    private readonly HashSet<string> _origins = options.AllowedOrigins.Select(Origin).ToHashSet(StringComparer.Ordinal);

    /// <summary>Gets whether fetching by URL is on (the allow-list is not empty).</summary>
    public bool Enabled => _origins.Count > 0;

    /// <summary>Checks a URL from a request; on success <paramref name="uri"/> is the one to fetch, without its fragment.</summary>
    public RequestProblem? Check(string? url, out Uri? uri)
    {
        uri = null;
        if (!Enabled)
        {
            return Refuse("url-fetch-disabled", "Fetching images by URL is turned off.", "This service has no allowed origins (Embeddings:Url:AllowedOrigins); send the image itself.");
        }

        if (string.IsNullOrWhiteSpace(url))
        {
            return Refuse("url-missing", "The request has no URL.", "Send {\"url\": \"https://…\"} with the image's URL.");
        }

        if (url.Length > MaxUrlLength)
        {
            return Refuse("url-too-long", "The URL is too long.", $"A URL may have at most {MaxUrlLength} characters.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            return Refuse("url-invalid", "The URL is not an absolute URL.", "Send an absolute http or https URL.");
        }

        return Check(parsed, out uri);
    }

    /// <summary>Checks an absolute URL: one from a request, or a redirect's target.</summary>
    public RequestProblem? Check(Uri candidate, out Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        uri = null;
        if (candidate.Scheme != Uri.UriSchemeHttp && candidate.Scheme != Uri.UriSchemeHttps)
        {
            return Refuse("url-scheme", "Only http and https URLs can be fetched.", $"The URL's scheme is '{RequestProblem.Truncate(candidate.Scheme, 20)}'.");
        }

        if (candidate.UserInfo.Length > 0)
        {
            // Never echoed: the user information may be a password.
            return Refuse("url-credentials", "URLs with credentials are refused.", "The URL carries a user name or password; the service never sends credentials to an origin.");
        }

        var origin = Origin(candidate);
        if (!_origins.Contains(origin))
        {
            return Refuse("url-not-allowed", "The URL's origin is not allowed.", $"The origin {RequestProblem.Truncate(origin, 200)} is not on the service's allow-list (Embeddings:Url:AllowedOrigins); nothing was requested from it.");
        }

        uri = new UriBuilder(candidate) { Fragment = string.Empty }.Uri;
        return null;
    }

    /// <summary>
    /// Whether the service may connect to <paramref name="address"/> for host <paramref name="host"/>: always for a
    /// literal IP (the allow-list named it), and for a host name only to a public address unless private ones are allowed.
    /// </summary>
    public bool MayConnect(string host, IPAddress address) =>
        IPAddress.TryParse(host.Trim('[', ']'), out _) || options.AllowPrivateAddresses || IsPublic(address);

    /// <summary>Whether an address is neither loopback, private, link-local (cloud metadata), unique-local, multicast nor unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
            || (b[0] == 100 && b[1] >= 64 && b[1] < 128)   // carrier-grade NAT
            || (b[0] == 169 && b[1] == 254)                // link-local, cloud metadata
            || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0)
            || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
    }

    /// <summary><c>scheme://host:port</c>, lower case, with the port always written.</summary>
    public static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";

    private static RequestProblem Refuse(string reason, string title, string detail) => RequestProblem.Invalid(reason, title, detail);
}
