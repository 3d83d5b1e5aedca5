using Keel.Pipeline;

namespace Keel;

/// <summary>Starts building an <see cref="InferencePipeline{TInput, TResult}"/> around a model call.</summary>
/// <example>
/// <code>
/// var score = InferencePipeline.For&lt;float[], float&gt;("fraud", "3.2.0")
///     .UseRetry(maxAttempts: 4, baseDelay: TimeSpan.FromSeconds(1))
///     .Build(ScoreCoreAsync);
/// float result = await score.ExecuteAsync(features, cancellationToken);
/// </code>
/// </example>
public static class InferencePipeline
{
    /// <summary>The operation name used when the builder is not given one: <c>predict</c>.</summary>
    public const string DefaultOperationName = "predict";

    /// <summary>
    /// Creates a builder for a pipeline around a model that takes <typeparamref name="TInput"/> and returns
    /// <typeparamref name="TResult"/>, with code defaults and no dependency injection. Inside a container, use
    /// <see cref="InferencePipelineFactory.For{TInput, TResult}(string, string)"/> instead to get configured profiles.
    /// </summary>
    /// <typeparam name="TInput">The model's input, for example <c>float[]</c> or a tuple of arguments.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="modelName">The model's name, for example <c>fraud</c>; it appears in telemetry and cache keys.</param>
    /// <param name="modelVersion">The model's version, for example <c>3.2.0</c>; it appears in telemetry and cache keys.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelName"/> or <paramref name="modelVersion"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> or <paramref name="modelVersion"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> For<TInput, TResult>(string modelName, string modelVersion) =>
        new(modelName, modelVersion, KeelEnvironment.Standalone);
}
