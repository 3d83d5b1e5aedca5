using Keel.AspNetCore;
using Keel.MemoryGuard;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Keel's memory health check.</summary>
public static class MemoryPressureHealthCheckBuilderExtensions
{
    /// <summary>The tag the check carries by default, for a readiness endpoint's predicate.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds a health check that reports <paramref name="failureStatus"/> (Unhealthy by default) while memory is above
    /// the <see cref="MemoryGuardOptions.MaxMemoryLoad"/> of a memory guard profile. ASP.NET Core answers 503 for
    /// Unhealthy, so a readiness endpoint needs nothing more, <c>app.MapHealthChecks("/health/ready")</c>, and
    /// Kubernetes stops routing to the replica while it is pressured. Keep the check off the liveness endpoint (a
    /// pressured replica is not a dead one), for example with a predicate on the <see cref="ReadyTag"/> tag it carries.
    /// Needs <c>services.AddKeel()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="profile">The memory guard profile whose threshold applies; <c>Default</c> when <see langword="null"/>.</param>
    /// <param name="failureStatus">The status under pressure; Unhealthy (503) by default. Degraded answers 200 unless the endpoint maps it.</param>
    /// <param name="tags">The check's tags; <see langword="null"/> for <c>ready</c>.</param>
    /// <returns>The health checks builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space, or <paramref name="profile"/> is empty or white space.</exception>
    public static IHealthChecksBuilder AddKeelMemoryHealthCheck(
        this IHealthChecksBuilder builder,
        string name = "keel-memory",
        string? profile = null,
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (profile is not null && string.IsNullOrWhiteSpace(profile))
        {
            throw new ArgumentException($"The profile must be null (the Default profile) or a name, but was '{profile}'.", nameof(profile));
        }

        var profileName = profile ?? "Default";
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new MemoryPressureHealthCheck(sp.GetRequiredService<MemorySampler>(), sp.GetRequiredService<IOptionsMonitor<MemoryGuardOptions>>(), profileName),
            failureStatus,
            tags ?? [ReadyTag]));
    }
}
