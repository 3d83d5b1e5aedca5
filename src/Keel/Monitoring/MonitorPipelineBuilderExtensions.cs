using Keel.Monitoring;

namespace Keel;

/// <summary>Adds the monitor decorator to an <see cref="InferencePipelineBuilder{TInput, TResult}"/>.</summary>
public static class MonitorPipelineBuilderExtensions
{
    /// <summary>
    /// Adds monitoring with the defaults of <see cref="MonitorOptions"/>: the <c>keel.inference.duration</c> histogram
    /// by model, version, operation and outcome, input and result sizes, a span per call and logs. Add it first, so it
    /// is the outermost decorator and sees every outcome.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new MonitorDecoratorFactory(new MonitorOptions()));
    }

    /// <summary>Adds monitoring with options given in code.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options, validated when the pipeline is built.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, MonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(new MonitorDecoratorFactory(options));
    }

    /// <summary>Adds monitoring with the defaults of <see cref="MonitorOptions"/> changed by <paramref name="configure"/>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options, for example <c>o => o.RecordPredictions = true</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseMonitor<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, Action<MonitorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MonitorOptions();
        configure(options);
        return builder.Use(new MonitorDecoratorFactory(options));
    }
}
