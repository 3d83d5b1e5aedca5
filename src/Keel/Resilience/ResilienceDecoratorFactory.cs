using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;

namespace Keel.Resilience;

/// <summary>Left on a builder by <c>UseResilience</c>: a Polly pipeline, or its key in the container's registry.</summary>
internal sealed class ResilienceDecoratorFactory : DecoratorFactory
{
    public const string DecoratorName = "Resilience";
    private readonly ResiliencePipeline? _pipeline;
    private readonly string? _key;

    private ResilienceDecoratorFactory(ResiliencePipeline? pipeline, string? key)
    {
        _pipeline = pipeline;
        _key = key;
    }

    public static ResilienceDecoratorFactory FromPipeline(ResiliencePipeline pipeline) => new(pipeline, key: null);

    public static ResilienceDecoratorFactory FromKey(string key) => new(pipeline: null, key);

    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var pipeline = _pipeline;
        if (pipeline is null)
        {
            var provider = context.Environment.Services?.GetService<ResiliencePipelineProvider<string>>();
            if (provider is null)
            {
                errors.Add($"Resilience pipeline '{_key}' cannot be resolved: register it with services.AddResiliencePipeline(\"{_key}\", …) from Polly.Extensions and create the builder with InferencePipelineFactory.For.");
                return null;
            }

            if (!provider.TryGetPipeline(_key!, out pipeline))
            {
                errors.Add($"Resilience pipeline '{_key}' is not registered: add it with services.AddResiliencePipeline(\"{_key}\", …).");
                return null;
            }
        }

        return ReferenceEquals(pipeline, ResiliencePipeline.Empty)
            ? null
            : new Decorator<TInput, TResult>(DecoratorName, next => new ResilienceDecorator<TInput, TResult>(next, pipeline));
    }
}

/// <summary>Left on a builder by <c>UseResilience</c> with a typed Polly pipeline of the pipeline's result type.</summary>
internal sealed class TypedResilienceDecoratorFactory<TPipelineResult>(ResiliencePipeline<TPipelineResult> pipeline) : DecoratorFactory
{
    // The extension method only creates this factory for a builder whose result type is TPipelineResult.
    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors) =>
        ReferenceEquals(pipeline, ResiliencePipeline<TPipelineResult>.Empty)
            ? null
            : new Decorator<TInput, TResult>(
                ResilienceDecoratorFactory.DecoratorName,
                next => new TypedResilienceDecorator<TInput, TResult>(next, (ResiliencePipeline<TResult>)(object)pipeline));
}
