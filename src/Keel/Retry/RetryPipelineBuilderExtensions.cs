using Keel.Retry;

namespace Keel;

/// <summary>Adds the retry decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
public static class RetryPipelineBuilderExtensions
{
    /// <summary>
    /// Adds retry with the default profile: from the container's <c>Keel:Retry:Default</c> configuration when the
    /// builder came from <see cref="InferencePipelineFactory"/>, otherwise the defaults of <see cref="RetryOptions"/>
    /// (4 attempts, 1 s base delay doubling, full jitter, 30 s cap, budget on).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(RetryDecoratorFactory.FromProfile(profile: null));
    }

    /// <summary>
    /// Adds retry with a named profile from the container (<c>Keel:Retry:{profile}</c> over code defaults set with
    /// <c>ConfigureRetry</c>). All pipelines using the profile share its retry budget.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder; it must come from <see cref="InferencePipelineFactory"/>.</param>
    /// <param name="profile">The profile's name, for example <c>feature-store</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        return builder.Use(RetryDecoratorFactory.FromProfile(profile));
    }

    /// <summary>Adds retry with options given in code; the pipeline gets a retry budget of its own.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, validated when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(RetryDecoratorFactory.FromOptions(options));
    }

    /// <summary>Adds retry with the given attempts and base delay and the other defaults of <see cref="RetryOptions"/>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="maxAttempts">The most attempts, the first included.</param>
    /// <param name="baseDelay">The wait before the first retry, before jitter.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Out-of-range values are reported when the pipeline is built, with every other problem.</remarks>
    public static InferencePipelineBuilder<TInput, TResult> UseRetry<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, int maxAttempts, TimeSpan baseDelay)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(RetryDecoratorFactory.FromOptions(new RetryOptions { MaxAttempts = maxAttempts, BaseDelay = baseDelay }));
    }
}
