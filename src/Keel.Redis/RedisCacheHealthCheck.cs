using Keel.Caching;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keel.Redis;

/// <summary>
/// Reports the state of the result cache's Redis level: <see cref="HealthStatus.Healthy"/> when Redis is connected and
/// in use, <see cref="HealthStatus.Degraded"/> when it is unreachable, still connecting or skipped after failures.
/// Never <see cref="HealthStatus.Unhealthy"/>: the cache is optional, calls go on to the model without it, and a
/// readiness probe must not take a replica out of service for it.
/// </summary>
/// <remarks>
/// Registered by <c>AddRedisCache</c>; add it to the health checks with
/// <c>services.AddHealthChecks().AddCheck&lt;RedisCacheHealthCheck&gt;("keel-redis")</c>.
/// </remarks>
public sealed class RedisCacheHealthCheck : IHealthCheck
{
    private readonly RedisCacheLevel? _level;

    /// <summary>Creates the check of the container's shared cache level.</summary>
    /// <param name="level">The shared level that <c>AddRedisCache</c> registered.</param>
    /// <exception cref="ArgumentNullException"><paramref name="level"/> is <see langword="null"/>.</exception>
    public RedisCacheHealthCheck(IDistributedCacheLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        _level = level as RedisCacheLevel;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_level is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The shared cache level is not Keel.Redis's; nothing to report."));
        }

        var data = new Dictionary<string, object>
        {
            ["endpoints"] = _level.EndPoints,
            ["connected"] = _level.IsConnected,
            ["backingOff"] = _level.IsBackingOff,
            ["failures"] = _level.FailureCount,
        };
        var result = _level.IsConnected && !_level.IsBackingOff
            ? HealthCheckResult.Healthy("Redis answers; the result cache shares entries between replicas.", data)
            : HealthCheckResult.Degraded(
                _level.IsConnected
                    ? "Redis is skipped after failures; the result cache runs from memory only until it answers again."
                    : "Redis cannot be reached; the result cache runs from memory only and reconnects by itself.",
                exception: null,
                data);
        return Task.FromResult(result);
    }
}
