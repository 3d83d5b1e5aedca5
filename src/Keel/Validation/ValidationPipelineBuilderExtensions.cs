using Keel.Validation;

namespace Keel;

/// <summary>Adds input validation (the <c>ValidateInput</c> decorator) to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
/// <remarks>
/// Validation rules are code, not configuration: what a model accepts is part of the model, so ValidateInput has no
/// profiles. Anomaly actions and drift thresholds are given with the rules.
/// </remarks>
public static class ValidationPipelineBuilderExtensions
{
    /// <summary>
    /// Adds input validation: <c>UseValidateInput(v =&gt; v.Shape(64).Finite().Within(0, 1))</c>. Every violation is
    /// collected into one <see cref="InputValidationException"/> and the model is never called with invalid input.
    /// Add it right after the monitor, so that garbage never reaches the cache or the model.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Declares the rules; called once, when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseValidateInput<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<InputRules<TInput>> configure) =>
        UseValidateInput(builder, "input", configure);

    /// <summary>Adds input validation, naming the input in messages, for example <c>features</c>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="parameter">The input's name in violations, for example <c>features</c>.</param>
    /// <param name="configure">Declares the rules; called once, when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameter"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseValidateInput<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string parameter, Action<InputRules<TInput>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use(ValidationDecorator.Name, (next, context) => ValidationDecorator.Create(next, context, parameter, configure));
    }
}
