using Keel.Caching;
using Keel.Pipeline;
using Keel.Profiles;

namespace Keel;

/// <summary>Adds the CacheResult decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
/// <remarks>
/// Every decorator has the same overloads: the <c>Default</c> profile, a named profile, either of them over values of
/// the pipeline's own (the lowest layer: code set with <c>ConfigureCacheResult</c> and then configuration under
/// <c>Keel:CacheResult:{profile}</c> override them), and fixed <see cref="CacheResultOptions"/> that belong to no profile.
/// Outside a container there is no code or configuration layer: a profile is the pipeline's values over the defaults.
/// </remarks>
public static class CacheResultPipelineBuilderExtensions
{
    /// <summary>
    /// Adds result caching with the <c>Default</c> profile: in a container, code defaults from <c>ConfigureCacheResult("Default", …)</c>
    /// and configuration under <c>Keel:CacheResult:Default</c>; otherwise the defaults of <see cref="CacheResultOptions"/> (5 minutes, 10,000 entries, no serve-stale).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder) =>
        Add(builder, ProfileRequest<CacheResultOptions>.Named(profile: null));

    /// <summary>
    /// Adds result caching with a named profile. In a container the profile must be defined — by <c>ConfigureCacheResult</c> or by
    /// configuration under <c>Keel:CacheResult:{profile}</c> — or <c>Build</c> fails listing the profiles that are. Each pipeline has its own in-memory entries.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>embeddings</c>; matched without regard to case.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ProfileNames.ThrowIfInvalid(profile);
        return Add(builder, ProfileRequest<CacheResultOptions>.Named(profile));
    }

    /// <summary>
    /// Adds result caching with the <c>Default</c> profile over values of the pipeline's own: <paramref name="configure"/> runs
    /// first, then the container's code defaults and configuration, which win.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the pipeline's values, for example <c>o =&gt; o.TimeToLive = TimeSpan.FromSeconds(30)</c>; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<CacheResultOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<CacheResultOptions>.Named(profile: null, configure));
    }

    /// <summary>
    /// Adds result caching with a named profile over values of the pipeline's own — what the source generator emits for an
    /// attribute: <paramref name="configure"/> sets the attribute's values, then code and configuration override them.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>embeddings</c>; matched without regard to case.</param>
    /// <param name="configure">Sets the pipeline's values; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile, Action<CacheResultOptions> configure)
    {
        ProfileNames.ThrowIfInvalid(profile);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<CacheResultOptions>.Named(profile, configure));
    }

    /// <summary>
    /// Adds result caching with fixed options: no profile, no code or configuration layer. The options are validated when the
    /// pipeline is built and then copied, so changing the instance later changes nothing.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, CacheResultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Add(builder, ProfileRequest<CacheResultOptions>.FromOptions(options));
    }

    /// <summary>Adds result caching with the <c>Default</c> profile over the given time to live.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="timeToLive">How long a result is served.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>An out-of-range value is reported when the pipeline is built, with every other problem.</remarks>
    public static InferencePipelineBuilder<TInput, TResult> UseCacheResult<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, TimeSpan timeToLive) =>
        Add(builder, ProfileRequest<CacheResultOptions>.Named(profile: null, o => o.TimeToLive = timeToLive));

    private static InferencePipelineBuilder<TInput, TResult> Add<TInput, TResult>(InferencePipelineBuilder<TInput, TResult> builder, ProfileRequest<CacheResultOptions> request)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(CacheDecorator.Name, (next, context) => CacheDecorator.Create(next, context, request));
    }
}
