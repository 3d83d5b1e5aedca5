using Keel.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Resolves a decorator's options: those given in code, validated here; else a profile from the container
    /// (validated there, at start-up or on first use); else, with no container and no profile named, the defaults.
    /// Every problem goes to <paramref name="errors"/> and the result is then <see langword="null"/>.
    /// </summary>
    public TOptions? ResolveOptions<TOptions>(TOptions? code, string? profile, string defaultProfile, string decorator, Action<TOptions, string, List<string>> validate, List<string> errors)
        where TOptions : class, new()
    {
        if (code is not null)
        {
            var before = errors.Count;
            validate(code, typeof(TOptions).Name, errors);
            return errors.Count == before ? code : null;
        }

        if (Services?.GetService<IOptionsMonitor<TOptions>>() is { } profiles)
        {
            try
            {
                return profiles.Get(profile ?? defaultProfile);
            }
            catch (OptionsValidationException exception)
            {
                errors.AddRange(exception.Failures);
                return null;
            }
        }

        if (profile is null)
        {
            return new TOptions();
        }

        errors.Add(ProfileNeedsContainer(decorator, profile));
        return null;
    }
}
