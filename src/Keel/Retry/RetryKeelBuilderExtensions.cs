using Keel;
using Keel.Retry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Keel's named Retry profiles.</summary>
public static class RetryKeelBuilderExtensions
{
    /// <summary>
    /// Defines a Retry profile and sets its code defaults. They override the values a pipeline or an attribute gives
    /// and are overridden by configuration (<c>Keel:Retry:{profile}</c>); a <c>PostConfigure</c> of your own runs
    /// last. Every defined profile is validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>; <c>Default</c> is the profile of <c>[Retry]</c> and <c>UseRetry()</c>.</param>
    /// <param name="configure">Sets the options; <c>_ =&gt; { }</c> defines the profile with the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static IKeelBuilder ConfigureRetry(this IKeelBuilder builder, string profile, Action<RetryOptions> configure) =>
        KeelBuilder.Configure(builder, profile, configure);
}
