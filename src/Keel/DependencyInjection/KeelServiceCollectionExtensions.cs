using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Keel;
using Keel.Caching;
using Keel.DependencyInjection;
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

        AddProfiles<RetryOptions>(services, configuration, "Retry", RetryDefaults.ProfileName, static (section, options) => section.Bind(options));
        AddProfiles<CacheResultOptions>(services, configuration, "Cache", CacheResultDefaults.ProfileName, static (section, options) => section.Bind(options));
        AddProfiles<MemoryGuardOptions>(services, configuration, "MemoryGuard", MemoryGuardDefaults.ProfileName, static (section, options) => section.Bind(options));

        return new KeelBuilder(services, configuration);
    }

    /// <summary>
    /// Registers a decorator's named profiles: configuration under <c>{sectionName}:{profile}</c> bound over code
    /// defaults, and start-up validation of the default profile and of every profile configuration names.
    /// </summary>
    private static void AddProfiles<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services, IConfiguration? configuration, string sectionName, string defaultProfile, Action<IConfiguration, TOptions> bind)
        where TOptions : class
    {
        var profiles = new List<string> { defaultProfile };
        if (configuration is not null)
        {
            var section = configuration.GetSection(sectionName);
            services.AddSingleton<IPostConfigureOptions<TOptions>>(new ProfileBinder<TOptions>(section, defaultProfile, bind));
            profiles.AddRange(section.GetChildren().Select(static child => child.Key));
        }

        foreach (var profile in profiles.Distinct(StringComparer.Ordinal))
        {
            services.AddOptions<TOptions>(profile).ValidateOnStart();
        }
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
