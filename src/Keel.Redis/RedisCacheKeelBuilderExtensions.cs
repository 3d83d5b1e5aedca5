using Keel;
using Keel.Caching;
using Keel.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Redis as the result cache's level shared by every replica.</summary>
public static class RedisCacheKeelBuilderExtensions
{
    /// <summary>
    /// Adds Redis at <paramref name="configuration"/> as the shared level of the result cache. The
    /// <c>Keel:Redis</c> configuration section, when <c>AddKeel</c> was given one, is applied afterwards and wins;
    /// <c>Keel:Redis:KeySecret</c> must be set there (or with the other overload), or the host refuses to start.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or white space.</exception>
    public static IKeelBuilder AddRedisCache(this IKeelBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.AddRedisCache(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Adds Redis as the shared level of the result cache, with options set in code. The <c>Keel:Redis</c>
    /// configuration section, when <c>AddKeel</c> was given one, is applied afterwards and wins. The options are
    /// validated when the host starts: without a <see cref="RedisCacheOptions.KeySecret"/> of at least 32 bytes, it
    /// refuses to start. When <see cref="RedisCacheOptions.Configuration"/> is empty and the container holds an
    /// <see cref="IConnectionMultiplexer"/>, the level uses that connection (and leaves closing it to the container).
    /// The host connects to Redis when it starts, waiting at most <see cref="RedisCacheOptions.ConnectTimeout"/>, so the
    /// first calls use Redis; if Redis is down the host starts anyway and calls go on without it. Add
    /// <see cref="RedisCacheHealthCheck"/> to the health checks to report Redis as Degraded while it is unreachable.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IKeelBuilder AddRedisCache(this IKeelBuilder builder, Action<RedisCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        builder.AddConfigurationSection("Redis", ["Configuration", "KeySecret", "OperationTimeout", "BreakDuration", "ConnectTimeout", "MaxPayloadBytes"]);
        services.AddOptions<RedisCacheOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisCacheOptions>, RedisCacheOptionsValidator>(static sp =>
            new RedisCacheOptionsValidator(connectionSupplied: HasConnection(sp))));
        if (builder.Configuration is { } keelSection && !services.Any(static d => d.ServiceType == typeof(IPostConfigureOptions<RedisCacheOptions>) && d.ImplementationInstance is RedisCacheConfigurationBinder))
        {
            services.AddSingleton<IPostConfigureOptions<RedisCacheOptions>>(new RedisCacheConfigurationBinder(keelSection.GetSection(RedisCacheDefaults.SectionName)));
        }

        services.TryAddSingleton<IDistributedCacheLevel>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisCacheOptions>>().Value;
            return new RedisCacheLevel(
                options,
                string.IsNullOrWhiteSpace(options.Configuration) ? sp.GetService<IConnectionMultiplexer>() : null,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisCacheConnector>(static sp => new RedisCacheConnector(
            sp.GetRequiredService<IDistributedCacheLevel>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)));
        services.TryAddSingleton<RedisCacheHealthCheck>();
        return builder;
    }

    private static bool HasConnection(IServiceProvider services) =>
        services.GetService<IServiceProviderIsService>()?.IsService(typeof(IConnectionMultiplexer)) ?? false;
}
