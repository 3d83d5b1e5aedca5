using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint Prometheus scrapes Keel's metrics from.</summary>
public static class KeelEndpointRouteBuilderExtensions
{
    /// <summary>The path of the scrape endpoint unless another is given: <c>/metrics</c>.</summary>
    public const string DefaultMetricsPath = "/metrics";

    /// <summary>
    /// Maps the Prometheus scrape endpoint of the meter provider registered by <c>AddPrometheusMetrics()</c>. It
    /// serves the Prometheus text format, or OpenMetrics when the scraper asks for it.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="path">The path; <see cref="DefaultMetricsPath"/> by default.</param>
    /// <returns>The endpoint's convention builder, for example to require a host or an authorization policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    public static IEndpointConventionBuilder MapKeelMetrics(this IEndpointRouteBuilder endpoints, string path = DefaultMetricsPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return endpoints.MapPrometheusScrapingEndpoint(path);
    }
}
