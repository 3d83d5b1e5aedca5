using Keel;
using System.Diagnostics.Metrics;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Retry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

        return new KeelBuilder(services, configuration);
    }
}
