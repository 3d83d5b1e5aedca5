using Keel;
using Keel.MemoryGuard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Keel's named MemoryGuard profiles and the container's memory sampler.</summary>
public static class MemoryGuardKeelBuilderExtensions
{
    /// <summary>
    /// Defines a MemoryGuard profile and sets its code defaults. They override the values a pipeline or an attribute gives
    /// and are overridden by configuration (<c>Keel:MemoryGuard:{profile}</c>); a <c>PostConfigure</c> of your own runs
    /// last. Every defined profile is validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="profile">The profile's name, for example <c>image-models</c>; <c>Default</c> is the profile of <c>[MemoryGuard]</c> and <c>UseMemoryGuard()</c>.</param>
    /// <param name="configure">Sets the options; <c>_ =&gt; { }</c> defines the profile with the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static IKeelBuilder ConfigureMemoryGuard(this IKeelBuilder builder, string profile, Action<MemoryGuardOptions> configure) =>
        KeelBuilder.Configure(builder, profile, configure);

    /// <summary>
    /// Configures the container's <see cref="MemorySampler"/>, shared by every memory guard and the memory health
    /// check: how often it samples, and which sources it reads (add an <see cref="IMemoryPressureSource"/> for
    /// another platform). Validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeel</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IKeelBuilder ConfigureMemorySampler(this IKeelBuilder builder, Action<MemorySamplerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<MemorySamplerOptions>().Configure(configure).ValidateOnStart();
        return builder;
    }
}
