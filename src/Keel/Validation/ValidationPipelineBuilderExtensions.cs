using Keel.Validation;

namespace Keel;

/// <summary>Adds input validation to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
public static class ValidationPipelineBuilderExtensions
{
    /// <summary>
    /// Adds input validation: <c>UseValidation(v =&gt; v.Shape(64).Finite().Within(0, 1))</c>. Every violation is
    /// collected into one <see cref="InputValidationException"/> and the model is never called with invalid input.
    /// Add it right after the monitor, so that garbage never reaches the cache or the model.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Declares the rules; called once, when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseValidation<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<InputRules<TInput>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use(new ValidationDecoratorFactory<TInput>("input", configure));
    }

    /// <summary>Adds input validation, naming the input in messages, for example <c>features</c>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="parameter">The input's name in violations, for example <c>features</c>.</param>
    /// <param name="configure">Declares the rules; called once, when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameter"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseValidation<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string parameter, Action<InputRules<TInput>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use(new ValidationDecoratorFactory<TInput>(parameter, configure));
    }
}
