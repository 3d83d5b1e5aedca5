using Keel.Monitoring;
using Keel.Pipeline;
using Keel.Profiles;

namespace Keel;

/// <summary>Adds the Monitor decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
/// <remarks>
/// Every decorator has the same overloads: the <c>Default</c> profile, a named profile, either of them over values of
/// the pipeline's own (the lowest layer: code set with <c>ConfigureMonitor</c> and then configuration under
/// <c>Keel:Monitor:{profile}</c> override them), and fixed <see cref="MonitorOptions"/> that belong to no profile.
/// Outside a container there is no code or configuration layer: a profile is the pipeline's values over the defaults.
/// </remarks>
public static class MonitorPipelineBuilderExtensions
{
    /// <summary>
    /// Adds monitoring (add it first, so it is the outermost decorator and sees every outcome) with the <c>Default</c> profile: in a container, code defaults from <c>ConfigureMonitor("Default", …)</c>
    /// and configuration under <c>Keel:Monitor:Default</c>; otherwise the defaults of <see cref="MonitorOptions"/> (the <c>keel.inference.duration</c> histogram by model, version, operation and outcome, a span per call, logs).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder) =>
        Add(builder, ProfileRequest<MonitorOptions>.Named(profile: null));

    /// <summary>
    /// Adds monitoring (add it first, so it is the outermost decorator and sees every outcome) with a named profile. In a container the profile must be defined — by <c>ConfigureMonitor</c> or by
    /// configuration under <c>Keel:Monitor:{profile}</c> — or <c>Build</c> fails listing the profiles that are.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>scoring</c>; matched without regard to case.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ProfileNames.ThrowIfInvalid(profile);
        return Add(builder, ProfileRequest<MonitorOptions>.Named(profile));
    }

    /// <summary>
    /// Adds monitoring (add it first, so it is the outermost decorator and sees every outcome) with the <c>Default</c> profile over values of the pipeline's own: <paramref name="configure"/> runs
    /// first, then the container's code defaults and configuration, which win.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the pipeline's values, for example <c>o =&gt; o.RecordPredictions = true</c>; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<MonitorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<MonitorOptions>.Named(profile: null, configure));
    }

    /// <summary>
    /// Adds monitoring (add it first, so it is the outermost decorator and sees every outcome) with a named profile over values of the pipeline's own — what the source generator emits for an
    /// attribute: <paramref name="configure"/> sets the attribute's values, then code and configuration override them.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="profile">The profile's name, for example <c>scoring</c>; matched without regard to case.</param>
    /// <param name="configure">Sets the pipeline's values; called when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is not a valid profile name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile, Action<MonitorOptions> configure)
    {
        ProfileNames.ThrowIfInvalid(profile);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, ProfileRequest<MonitorOptions>.Named(profile, configure));
    }

    /// <summary>
    /// Adds monitoring (add it first, so it is the outermost decorator and sees every outcome) with fixed options: no profile, no code or configuration layer. The options are validated when the
    /// pipeline is built and then copied, so changing the instance later changes nothing.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, MonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Add(builder, ProfileRequest<MonitorOptions>.FromOptions(options));
    }

    private static InferencePipelineBuilder<TInput, TResult> Add<TInput, TResult>(InferencePipelineBuilder<TInput, TResult> builder, ProfileRequest<MonitorOptions> request)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(MonitorDecorator.Name, (next, context) => MonitorDecorator.Create(next, context, request));
    }
}
