using Keel.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Pipeline;

/// <summary>
/// Where a builder comes from: standalone (<see cref="InferencePipeline.For{TInput, TResult}"/>, code defaults only)
/// or a dependency-injection container (<see cref="InferencePipelineFactory"/>, which adds named profiles from
/// configuration and shares per-profile state such as retry budgets).
/// </summary>
internal sealed class KeelEnvironment(TimeProvider timeProvider, ILoggerFactory loggerFactory, IServiceProvider? services, KeelInstruments instruments)
{
    public static KeelEnvironment Standalone { get; } = new(TimeProvider.System, NullLoggerFactory.Instance, services: null, KeelInstruments.Shared);

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Gets the container, or <see langword="null"/> for a standalone builder.</summary>
    public IServiceProvider? Services { get; } = services;

    /// <summary>
    /// Gets the meter, activity source and instruments every decorator reports through: on the container's
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when there is one, otherwise on one static meter.
    /// </summary>
    public KeelInstruments Instruments { get; } = instruments;

    /// <summary>The message for a profile name used on a builder that has no container to read profiles from.</summary>
    public static string ProfileNeedsContainer(string decorator, string profile) =>
        $"{decorator} profile '{profile}' cannot be resolved: named profiles come from services.AddKeel(); create the builder with InferencePipelineFactory.For, or pass options in code.";
}
