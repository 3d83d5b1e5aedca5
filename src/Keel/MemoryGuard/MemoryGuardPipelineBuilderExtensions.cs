using Keel.MemoryGuard;
using Keel.Pipeline;
using Keel.Profiles;

namespace Keel;

/// <summary>Adds the MemoryGuard decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
/// <remarks>
/// Every decorator has the same overloads: the <c>Default</c> profile, a named profile, either of them over values of
/// the pipeline's own (the lowest layer: code set with <c>ConfigureMemoryGuard</c> and then configuration under
/// <c>Keel:MemoryGuard:{profile}</c> override them), and fixed <see cref="MemoryGuardOptions"/> that belong to no profile.
/// Outside a container there is no code or configuration layer: a profile is the pipeline's values over the defaults.
/// </remarks>
public static class MemoryGuardPipelineBuilderExtensions
{
    /// <summary>
    /// Adds the memory guard with the <c>Default</c> profile: in a container, code defaults from <c>ConfigureMemoryGuard("Default", …)</c>
    /// and configuration under <c>Keel:MemoryGuard:Default</c>; otherwise the defaults of <see cref="MemoryGuardOptions"/> (refuse above 90 % load after one rate-limited full garbage collection).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder) =>
        Add(builder, ProfileRequest<MemoryGuardOptions>.Named(profile: null));

    /// <summary>
    /// Adds the memory guard with a named profile. In a container the profile must be defined — by <c>ConfigureMemoryGuard</c> or by
    /// configuration under <c>Keel:MemoryGuard:{profile}</c> — or <c>Build</c> fails listing the profiles that are. Every guard of a container shares its memory sampler.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>image-models</c>; matched without regard to case.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ProfileNames.ThrowIfInvalid(profile);
        return Add(builder, ProfileRequest<MemoryGuardOptions>.Named(profile));
    }

    /// <summary>
    /// Adds the memory guard with the <c>Default</c> profile over values of the pipeline's own: <paramref name="configure"/> runs
    /// first, then the container's code defaults and configuration, which win.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the pipeline's values, for example <c>o =&gt; o.EstimatedBytes = 50_000_000</c>; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<MemoryGuardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<MemoryGuardOptions>.Named(profile: null, configure));
    }

    /// <summary>
    /// Adds the memory guard with a named profile over values of the pipeline's own — what the source generator emits for an
    /// attribute: <paramref name="configure"/> sets the attribute's values, then code and configuration override them.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>image-models</c>; matched without regard to case.</param>
    /// <param name="configure">Sets the pipeline's values; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile, Action<MemoryGuardOptions> configure)
    {
        ProfileNames.ThrowIfInvalid(profile);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<MemoryGuardOptions>.Named(profile, configure));
    }

    /// <summary>
    /// Adds the memory guard with fixed options: no profile, no code or configuration layer. The options are validated when the
    /// pipeline is built and then copied, so changing the instance later changes nothing.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, MemoryGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Add(builder, ProfileRequest<MemoryGuardOptions>.FromOptions(options));
    }

    /// <summary>Adds the memory guard with the <c>Default</c> profile over the given threshold.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="maxMemoryLoad">The memory load above which calls are refused, as a ratio of the limit, for example 0.90.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>An out-of-range value is reported when the pipeline is built, with every other problem.</remarks>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, double maxMemoryLoad) =>
        Add(builder, ProfileRequest<MemoryGuardOptions>.Named(profile: null, o => o.MaxMemoryLoad = maxMemoryLoad));

    private static InferencePipelineBuilder<TInput, TResult> Add<TInput, TResult>(InferencePipelineBuilder<TInput, TResult> builder, ProfileRequest<MemoryGuardOptions> request)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(MemoryGuardDecorator.Name, (next, context) => MemoryGuardDecorator.Create(next, context, request));
    }
}
