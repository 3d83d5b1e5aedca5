using Keel;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Exports Keel's metrics for Prometheus to scrape.</summary>
public static class KeelPrometheusKeelBuilderExtensions
{
    /// <summary>
    /// Registers an OpenTelemetry meter provider with Keel's instruments and the Prometheus exporter, and the
    /// container's meter factory that Keel's instruments are created through. Map the scrape endpoint with
    /// <c>app.MapKeelMetrics()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddKeel()</c>.</param>
    /// <param name="configure">Adds more to the meter provider, for example <c>m => m.AddAspNetCoreInstrumentation()</c>; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IKeelBuilder AddPrometheusMetrics(this IKeelBuilder builder, Action<MeterProviderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMetrics();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddKeelInstrumentation().AddPrometheusExporter();
            configure?.Invoke(metrics);
        });
        return builder;
    }
}
