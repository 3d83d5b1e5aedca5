using Keel.MemoryGuard;

namespace Keel;

/// <summary>Adds the memory guard to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
public static class MemoryGuardPipelineBuilderExtensions
{
    /// <summary>
    /// Adds the memory guard with the default profile: from the container's <c>Keel:MemoryGuard:Default</c>
    /// configuration when the builder came from <see cref="InferencePipelineFactory"/>, otherwise the defaults of
    /// <see cref="MemoryGuardOptions"/> (refuse above 90 % load after one rate-limited full garbage collection).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(MemoryGuardDecoratorFactory.FromProfile(profile: null));
    }

    /// <summary>
    /// Adds the memory guard with a named profile from the container (<c>Keel:MemoryGuard:{profile}</c> over code
    /// defaults set with <c>ConfigureMemoryGuard</c>).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder; it must come from <see cref="InferencePipelineFactory"/>.</param>
    /// <param name="profile">The profile's name, for example <c>image-models</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="profile"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string profile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        return builder.Use(MemoryGuardDecoratorFactory.FromProfile(profile));
    }

    /// <summary>Adds the memory guard with options given in code.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, validated when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, MemoryGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(MemoryGuardDecoratorFactory.FromOptions(options));
    }

    /// <summary>Adds the memory guard with the given threshold and the other defaults of <see cref="MemoryGuardOptions"/>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="maxMemoryLoad">The memory load above which calls are refused, as a ratio of the limit, for example 0.90.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>An out-of-range value is reported when the pipeline is built, with every other problem.</remarks>
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, double maxMemoryLoad)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(MemoryGuardDecoratorFactory.FromOptions(new MemoryGuardOptions { MaxMemoryLoad = maxMemoryLoad }));
    }
}
