using Keel.Retry;
using Keel.Pipeline;
using Keel.Profiles;

namespace Keel;

/// <summary>Adds the Retry decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
/// <remarks>
/// Every decorator has the same overloads: the <c>Default</c> profile, a named profile, either of them over values of
/// the pipeline's own (the lowest layer: code set with <c>ConfigureRetry</c> and then configuration under
/// <c>Keel:Retry:{profile}</c> override them), and fixed <see cref="RetryOptions"/> that belong to no profile.
/// Outside a container there is no code or configuration layer: a profile is the pipeline's values over the defaults.
/// </remarks>
public static class RetryPipelineBuilderExtensions
{
    /// <summary>
    /// Adds retry with the <c>Default</c> profile: in a container, code defaults from <c>ConfigureRetry("Default", …)</c>
    /// and configuration under <c>Keel:Retry:Default</c>; otherwise the defaults of <see cref="RetryOptions"/> (4 attempts, 1 s base delay doubling, full jitter, 30 s cap, budget on).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder) =>
        Add(builder, ProfileRequest<RetryOptions>.Named(profile: null));

    /// <summary>
    /// Adds retry with a named profile. In a container the profile must be defined — by <c>ConfigureRetry</c> or by
    /// configuration under <c>Keel:Retry:{profile}</c> — or <c>Build</c> fails listing the profiles that are. Every pipeline of a profile in a container shares its retry budget.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>; matched without regard to case.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ProfileNames.ThrowIfInvalid(profile);
        return Add(builder, ProfileRequest<RetryOptions>.Named(profile));
    }

    /// <summary>
    /// Adds retry with the <c>Default</c> profile over values of the pipeline's own: <paramref name="configure"/> runs
    /// first, then the container's code defaults and configuration, which win.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the pipeline's values, for example <c>o =&gt; o.MaxAttempts = 5</c>; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<RetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<RetryOptions>.Named(profile: null, configure));
    }

    /// <summary>
    /// Adds retry with a named profile over values of the pipeline's own — what the source generator emits for an
    /// attribute: <paramref name="configure"/> sets the attribute's values, then code and configuration override them.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>; matched without regard to case.</param>
    /// <param name="configure">Sets the pipeline's values; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile, Action<RetryOptions> configure)
    {
        ProfileNames.ThrowIfInvalid(profile);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<RetryOptions>.Named(profile, configure));
    }

    /// <summary>
    /// Adds retry with fixed options: no profile, no code or configuration layer. The options are validated when the
    /// pipeline is built and then copied, so changing the instance later changes nothing. The pipeline gets a retry budget of its own.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Add(builder, ProfileRequest<RetryOptions>.FromOptions(options));
    }

    /// <summary>Adds retry with the <c>Default</c> profile over the given attempts and base delay.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="maxAttempts">The most attempts, the first included.</param>
    /// <param name="baseDelay">The wait before the first retry, before jitter.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Out-of-range values are reported when the pipeline is built, with every other problem.</remarks>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, int maxAttempts, TimeSpan baseDelay) =>
        Add(builder, ProfileRequest<RetryOptions>.Named(profile: null, o =>
        {
            o.MaxAttempts = maxAttempts;
            o.BaseDelay = baseDelay;
        }));

    private static InferencePipelineBuilder<TInput, TResult> Add<TInput, TResult>(InferencePipelineBuilder<TInput, TResult> builder, ProfileRequest<RetryOptions> request)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(RetryDecorator.Name, (next, context) => RetryDecorator.Create(next, context, request));
    }
}
