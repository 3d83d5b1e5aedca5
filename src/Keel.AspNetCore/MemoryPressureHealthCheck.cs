using System.Globalization;
using Keel.MemoryGuard;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keel.AspNetCore;

/// <summary>
/// Reports the memory guard's view of memory: healthy below a profile's <see cref="MemoryGuardOptions.MaxMemoryLoad"/>,
/// the registration's failure status (Unhealthy by default, which ASP.NET Core answers with 503) above it, so a readiness probe takes the replica out of
/// rotation before its guards start refusing calls. Reads the container's shared <see cref="MemorySampler"/>: one
/// field read, no I/O.
/// </summary>
internal sealed class MemoryPressureHealthCheck(MemorySampler sampler, IOptionsMonitor<MemoryGuardOptions> options, string profile) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxMemoryLoad = options.Get(profile).MaxMemoryLoad;
        var reading = sampler.Current;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["memoryLoad"] = reading.Load,
            ["maxMemoryLoad"] = maxMemoryLoad,
            ["source"] = reading.Source,
            ["limitBytes"] = reading.LimitBytes,
            ["usedBytes"] = reading.UsedBytes,
            ["reservedBytes"] = sampler.ReservedBytes,
        };
        var description = string.Create(CultureInfo.InvariantCulture, $"memory load {reading.Load:P1} ({reading.Source}) against a maximum of {maxMemoryLoad:P1}");
        var result = reading.Load > maxMemoryLoad
            ? new HealthCheckResult(context.Registration.FailureStatus, "Under memory pressure: " + description, data: data)
            : HealthCheckResult.Healthy(description, data);
        return Task.FromResult(result);
    }
}
