using System.Diagnostics.Metrics;
using Keel;
using Keel.Caching;
using Keel.MemoryGuard;
using Keel.Monitoring;
using Keel.Retry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Keel in a service collection.</summary>
public static class KeelServiceCollectionExtensions
{
    /// <summary>
    /// Registers Keel: the <see cref="InferencePipelineFactory"/>, Keel's instruments on the container's
    /// <see cref="IMeterFactory"/> (or on one static meter when none is registered), the system <see cref="TimeProvider"/> unless one is
    /// registered, and named profiles read from <paramref name="configuration"/> (for example
    /// <c>Retry:feature-store:MaxAttempts</c> under the <c>Keel</c> section) over code defaults. Every profile found in
    /// configuration, and the <c>Default</c> profiles, are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>Keel</c> configuration section, or <see langword="null"/> for code defaults only.</param>
    /// <returns>A builder to configure profiles in a chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IKeelBuilder AddKeel(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new InferencePipelineFactory(sp));
        services.TryAddSingleton(static sp => KeelInstruments.Create(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<RetryProfiles>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetryOptions>, RetryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CacheResultOptions>, CacheResultOptionsValidator>());
        services.TryAddSingleton(static sp => new CacheInvalidator(sp.GetService<IDistributedCacheLevel>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryGuardOptions>, MemoryGuardOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemorySamplerOptions>, MemorySamplerOptionsValidator>());
        services.AddOptions<MemorySamplerOptions>().ValidateOnStart();
        services.TryAddSingleton(static sp => CreateMemorySampler(sp));

        var retryProfiles = new List<string> { RetryDefaults.ProfileName };
        if (configuration is not null)
        {
            var retrySection = configuration.GetSection(RetryProfileBinder.SectionName);
            services.AddSingleton<IPostConfigureOptions<RetryOptions>>(new RetryProfileBinder(retrySection));
            retryProfiles.AddRange(retrySection.GetChildren().Select(static child => child.Key));
        }

        foreach (var profile in retryProfiles.Distinct(StringComparer.Ordinal))
        {
            services.AddOptions<RetryOptions>(profile).ValidateOnStart();
        }

        var cacheProfiles = new List<string> { CacheResultDefaults.ProfileName };
        if (configuration is not null)
        {
            var cacheSection = configuration.GetSection(CacheProfileBinder.SectionName);
            services.AddSingleton<IPostConfigureOptions<CacheResultOptions>>(new CacheProfileBinder(cacheSection));
            cacheProfiles.AddRange(cacheSection.GetChildren().Select(static child => child.Key));
        }

        foreach (var profile in cacheProfiles.Distinct(StringComparer.Ordinal))
        {
            services.AddOptions<CacheResultOptions>(profile).ValidateOnStart();
        }

        var memoryGuardProfiles = new List<string> { MemoryGuardDefaults.ProfileName };
        if (configuration is not null)
        {
            var memoryGuardSection = configuration.GetSection(MemoryGuardProfileBinder.SectionName);
            services.AddSingleton<IPostConfigureOptions<MemoryGuardOptions>>(new MemoryGuardProfileBinder(memoryGuardSection));
            memoryGuardProfiles.AddRange(memoryGuardSection.GetChildren().Select(static child => child.Key));
        }

        foreach (var profile in memoryGuardProfiles.Distinct(StringComparer.Ordinal))
        {
            services.AddOptions<MemoryGuardOptions>(profile).ValidateOnStart();
        }

        return new KeelBuilder(services, configuration);
    }

    // One sampler per container, shared by every memory guard and the health check; the container disposes it.
    private static MemorySampler CreateMemorySampler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MemorySamplerOptions>>().Value;
        var sources = options.UseBuiltInSources ? [.. MemorySampler.BuiltInSources(), .. options.Sources] : options.Sources.ToArray();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Keel.MemoryGuard") ?? NullLogger.Instance;
        return new MemorySampler(sources, services.GetRequiredService<TimeProvider>(), options.SampleInterval, logger, services.GetRequiredService<KeelInstruments>());
    }
}
