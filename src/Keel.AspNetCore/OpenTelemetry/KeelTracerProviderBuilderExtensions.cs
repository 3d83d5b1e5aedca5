using Keel.Monitoring;

namespace OpenTelemetry.Trace;

/// <summary>Adds Keel's spans to an OpenTelemetry <see cref="TracerProviderBuilder"/>.</summary>
public static class KeelTracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to Keel's activity source (<c>Keel</c>): one span per monitored call, with model, version, shapes,
    /// cache result, attempt count and any exception.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddKeelInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(KeelDiagnostics.ActivitySourceName);
    }
}
