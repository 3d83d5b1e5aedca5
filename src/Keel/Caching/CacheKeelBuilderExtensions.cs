using Keel;
using Keel.Caching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Keel's named cache profiles.</summary>
public static class CacheKeelBuilderExtensions
{
    /// <summary>
    /// Sets code defaults for a cache profile. Configuration (<c>Keel:Cache:{profile}</c>) is applied afterwards and
    /// wins; the result is validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="profile">The profile's name, for example <c>embeddings</c>; <c>Default</c> is the profile of <c>[CacheResult]</c> and <c>UseCache()</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is empty or white space.</exception>
    public static IKeelBuilder ConfigureCache(this IKeelBuilder builder, string profile, Action<CacheResultOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<CacheResultOptions>(profile).Configure(configure).ValidateOnStart();
        return builder;
    }
}
