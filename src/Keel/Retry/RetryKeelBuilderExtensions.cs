using Keel;
using Keel.Retry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Keel's named retry profiles.</summary>
public static class RetryKeelBuilderExtensions
{
    /// <summary>
    /// Sets code defaults for a retry profile. Configuration (<c>Keel:Retry:{profile}</c>) is applied afterwards and
    /// wins; the result is validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>; <c>Default</c> is the profile of <c>[Retry]</c> and <c>UseRetry()</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is empty or white space.</exception>
    public static IKeelBuilder ConfigureRetry(this IKeelBuilder builder, string profile, Action<RetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<RetryOptions>(profile).Configure(configure).ValidateOnStart();
        return builder;
    }
}
