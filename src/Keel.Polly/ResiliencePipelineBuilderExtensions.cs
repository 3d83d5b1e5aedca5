using Keel.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;

namespace Keel;

/// <summary>
/// Runs a Polly v8 <see cref="ResiliencePipeline"/> (circuit breaker, timeout, hedging, rate limiter, …) as a Keel
/// decorator. Keel does not reimplement those strategies.
/// </summary>
public static class ResiliencePipelineBuilderExtensions
{
    private const string Name = "Resilience";

    /// <summary>Adds a Polly pipeline as a decorator at this position of the Keel pipeline.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The Polly pipeline; <see cref="ResiliencePipeline.Empty"/> adds nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseResilience<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, ResiliencePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pipeline);
        return ReferenceEquals(pipeline, ResiliencePipeline.Empty)
            ? builder
            : builder.Use(Name, (next, _) => new ResilienceDecorator<TInput, TResult>(next, pipeline));
    }

    /// <summary>
    /// Adds a typed Polly pipeline, whose strategies can inspect results (hedging, fallback, result-based retry), as a
    /// decorator at this position of the Keel pipeline.
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="pipeline">The Polly pipeline; <see cref="ResiliencePipeline{T}.Empty"/> adds nothing.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseResilience<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, ResiliencePipeline<TResult> pipeline)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pipeline);
        return ReferenceEquals(pipeline, ResiliencePipeline<TResult>.Empty)
            ? builder
            : builder.Use(Name, (next, _) => new TypedResilienceDecorator<TInput, TResult>(next, pipeline));
    }

    /// <summary>
    /// Adds the Polly pipeline registered in the container under <paramref name="pipelineKey"/>
    /// (<c>services.AddResiliencePipeline(key, …)</c> from Polly.Extensions).
    /// </summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="builder">The builder; it must come from <see cref="InferencePipelineFactory"/>.</param>
    /// <param name="pipelineKey">The key the Polly pipeline is registered under.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="pipelineKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pipelineKey"/> is empty or white space.</exception>
    public static InferencePipelineBuilder<TInput, TResult> UseResilience<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, string pipelineKey)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(pipelineKey);
        return builder.Use(Name, (next, context) =>
        {
            if (context.Services?.GetService<ResiliencePipelineProvider<string>>() is not { } provider)
            {
                context.AddError($"Resilience pipeline '{pipelineKey}' cannot be resolved: register it with services.AddResiliencePipeline(\"{pipelineKey}\", …) from Polly.Extensions and create the builder with InferencePipelineFactory.For.");
                return next;
            }

            if (!provider.TryGetPipeline(pipelineKey, out var pipeline))
            {
                context.AddError($"Resilience pipeline '{pipelineKey}' is not registered: add it with services.AddResiliencePipeline(\"{pipelineKey}\", …).");
                return next;
            }

            return ReferenceEquals(pipeline, ResiliencePipeline.Empty) ? next : new ResilienceDecorator<TInput, TResult>(next, pipeline);
        });
    }
}
