using System.Diagnostics.Metrics;
using Keel;
using Keel.Caching;
using Keel.Profiles;
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
    /// Registers Keel: the <see cref="InferencePipelineFactory"/> and <see cref="InferencePipelineProvider"/>, Keel's
    /// instruments on the container's <see cref="IMeterFactory"/> (or on one static meter when none is registered),
    /// the system <see cref="TimeProvider"/> unless one is registered, and the decorators' named profiles, read from
    /// <paramref name="configuration"/> (for example <c>Retry:feature-store:MaxAttempts</c> under the <c>Keel</c>
    /// section) over code defaults. When the host starts — or, without a host, when the first pipeline factory is
    /// created — the whole section is checked: a key that no option has, a section no decorator reads, and every
    /// invalid profile are reported together in one <see cref="OptionsValidationException"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>Keel</c> configuration section, or <see langword="null"/> for code defaults only.</param>
    /// <returns>A builder to configure profiles in a chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IKeelBuilder AddKeel(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.LastOrDefault(static d => d.ServiceType == typeof(KeelProfiles))?.ImplementationInstance is KeelProfiles existing)
        {
            return new KeelBuilder(services, existing.Configuration, existing);
        }

        var profiles = new KeelProfiles(configuration);
        services.AddSingleton(profiles);
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new InferencePipelineFactory(sp));
        services.TryAddSingleton(static sp => new InferencePipelineProvider(sp.GetRequiredService<InferencePipelineFactory>()));
        services.TryAddSingleton(static sp => KeelInstruments.Create(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<RetryBudgets>();
        services.TryAddSingleton(static sp => new CacheInvalidator(sp.GetService<IDistributedCacheLevel>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemorySamplerOptions>, MemorySamplerOptionsValidator>());
        services.AddOptions<MemorySamplerOptions>().ValidateOnStart();
        services.TryAddSingleton(static sp => CreateMemorySampler(sp));

        AddProfiles(services, profiles, RetryDefaults.Profile);
        AddProfiles(services, profiles, CacheResultDefaults.Profile);
        AddProfiles(services, profiles, MemoryGuardDefaults.Profile);
        AddProfiles(services, profiles, MonitorDefaults.Profile);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeelConfigurationCheck>, KeelConfigurationValidator>());
        services.AddOptions<KeelConfigurationCheck>().ValidateOnStart();
        return new KeelBuilder(services, configuration, profiles);
    }

    /// <summary>Registers one decorator's profiles: Keel's options factory (its order of layers), its validator and its start-up check.</summary>
    private static void AddProfiles<TOptions>(IServiceCollection services, KeelProfiles profiles, ProfileKind<TOptions> kind)
        where TOptions : class, new()
    {
        profiles.Add(kind);
        services.Replace(ServiceDescriptor.Transient<IOptionsFactory<TOptions>, KeelOptionsFactory<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, KeelOptionsValidator<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProfileChecker, ProfileChecker<TOptions>>());
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
