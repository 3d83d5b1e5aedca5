using Keel.Caching;

namespace Keel;

/// <summary>Adds the cache decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
public static class CachePipelineBuilderExtensions
{
    /// <summary>
    /// Adds result caching with the default profile: from the container's <c>Keel:Cache:Default</c> configuration
    /// when the builder came from <see cref="InferencePipelineFactory"/>, otherwise the defaults of
    /// <see cref="CacheResultOptions"/> (5 minutes, 10,000 entries, no serve-stale).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCache<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(CacheDecoratorFactory.FromProfile(profile: null));
    }

    /// <summary>
    /// Adds result caching with a named profile from the container (<c>Keel:Cache:{profile}</c> over code defaults
    /// set with <c>ConfigureCache</c>).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder; it must come from <see cref="InferencePipelineFactory"/>.</param>
    /// <param name="profile">The profile's name, for example <c>embeddings</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCache<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        return builder.Use(CacheDecoratorFactory.FromProfile(profile));
    }

    /// <summary>Adds result caching with options given in code.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, validated when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCache<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, CacheResultOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(CacheDecoratorFactory.FromOptions(options));
    }

    /// <summary>Adds result caching with the given time to live and the other defaults of <see cref="CacheResultOptions"/>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="timeToLive">How long a result is served; validated when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseCache<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, TimeSpan timeToLive)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(CacheDecoratorFactory.FromOptions(new CacheResultOptions { TimeToLive = timeToLive }));
    }
}
