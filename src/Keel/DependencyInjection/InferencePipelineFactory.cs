using System.Diagnostics.Metrics;
using Keel.Monitoring;
using Keel.Pipeline;
using Keel.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Keel;

/// <summary>
/// Creates pipeline builders that read named profiles from the container (<c>UseRetry("feature-store")</c>), share
/// per-profile state such as retry budgets, and use the container's <see cref="TimeProvider"/>, logging and meters.
/// Registered by <c>services.AddKeel()</c>. To build a pipeline once per container and share it, use
/// <see cref="InferencePipelineProvider"/>.
/// </summary>
public sealed class InferencePipelineFactory
{
    private readonly KeelEnvironment _environment;

    private InferencePipelineFactory(KeelEnvironment environment)
    {
        _environment = environment;
    }

    internal InferencePipelineFactory(IServiceProvider services)
    {
        // Without a host nothing runs start-up validation: check the Keel section before the first pipeline is built.
        _ = services.GetService<IOptions<KeelConfigurationCheck>>()?.Value;
        _environment = new KeelEnvironment(
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            services,
            services.GetService<KeelInstruments>() ?? KeelInstruments.Create(services.GetService<IMeterFactory>()));
    }

    /// <summary>Gets the factory of pipelines built outside any container (<see cref="InferencePipeline.For{TInput, TResult}"/>): code defaults only.</summary>
    public static InferencePipelineFactory Standalone { get; } = new(KeelEnvironment.Standalone);

    /// <summary>Creates a builder for a pipeline around a model that takes <typeparamref name="TInput"/> and returns <typeparamref name="TResult"/>.</summary>
    /// <typeparam name="TInput">The model's input.</typeparam>
    /// <typeparam name="TResult">The model's result.</typeparam>
    /// <param name="modelName">The model's name, for example <c>fraud</c>.</param>
    /// <param name="modelVersion">The model's version, for example <c>3.2.0</c>.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelName"/> or <paramref name="modelVersion"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> or <paramref name="modelVersion"/> is empty or white space.</exception>
    public InferencePipelineBuilder<TInput, TResult> For<TInput, TResult>(string modelName, string modelVersion) =>
        new(modelName, modelVersion, _environment);
}
