using Keel.Monitoring;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Keel's instruments to an OpenTelemetry <see cref="MeterProviderBuilder"/>.</summary>
public static class KeelMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to Keel's meter (<c>Keel</c>): call durations, sizes, predictions, cache lookups, retries, validation
    /// violations, drift and memory. The instruments carry their own bucket advice, so no view is needed.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddKeelInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(KeelDiagnostics.MeterName);
    }
}
