using Keel.Monitoring;
using Keel.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Keel.Pipeline;

/// <summary>
/// Where a builder comes from: standalone (<see cref="InferencePipeline.For{TInput, TResult}"/>: no configuration, so
/// every profile is the pipeline's own values over the defaults) or a dependency-injection container
/// (<see cref="InferencePipelineFactory"/>, which adds code and configuration layers, checks profile names, and shares
/// per-profile state such as retry budgets).
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

    /// <summary>
    /// Resolves a decorator's options for one pipeline. Fixed options (<c>UseX(options)</c>) are validated and used as
    /// they are. Otherwise the profile (<c>Default</c> when none is named) is built in layers — the pipeline's own
    /// values, then code, then configuration — in a container, where a name that nothing defines is an error listing
    /// the names that exist; standalone there are no other layers. Every problem goes to <paramref name="errors"/> and
    /// the result is then <see langword="null"/>. <paramref name="profileName"/> is the profile's defined spelling.
    /// </summary>
    public TOptions? ResolveOptions<TOptions>(ProfileKind<TOptions> kind, ProfileRequest<TOptions> request, string decorator, List<string> errors, out string profileName)
        where TOptions : class, new()
    {
        var before = errors.Count;
        if (request.Fixed is { } fixedOptions)
        {
            profileName = ProfileRequest<TOptions>.CodeProfile;
            kind.Validate(fixedOptions, typeof(TOptions).Name, errors);
            return errors.Count == before ? fixedOptions : null;
        }

        var profile = request.Profile ?? ProfileKind<TOptions>.DefaultProfile;
        if (Services?.GetService<KeelProfiles>() is not { } profiles)
        {
            profileName = profile;
            var options = new TOptions();
            request.PipelineValues?.Invoke(options);
            kind.Validate(options, kind.Prefix(profile), errors);
            return errors.Count == before ? options : null;
        }

        if (!profiles.TryResolve<TOptions>(profile, out profileName))
        {
            errors.Add($"{decorator} profile '{profile}' is not defined: the defined {decorator} profiles are {string.Join(", ", profiles.DefinedNames<TOptions>())}. Define it in code with Configure{decorator}(\"{profile}\", …) or in configuration under Keel:{kind.Section}:{profile}, or use the Default profile.");
            return null;
        }

        try
        {
            return request.PipelineValues is null
                ? Services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(profileName)
                : ((KeelOptionsFactory<TOptions>)Services.GetRequiredService<IOptionsFactory<TOptions>>()).Create(profileName, request.PipelineValues);
        }
        catch (OptionsValidationException exception)
        {
            errors.AddRange(exception.Failures);
            return null;
        }
    }
}

/// <summary>
/// Which options a <c>UseX</c> call asked for: fixed options, or a profile (the <c>Default</c> one when
/// <see cref="Profile"/> is <see langword="null"/>) over the pipeline's own values.
/// </summary>
internal readonly record struct ProfileRequest<TOptions>(string? Profile, Action<TOptions>? PipelineValues, TOptions? Fixed)
    where TOptions : class
{
    /// <summary>The profile name reported for options given in code: they belong to no profile.</summary>
    public const string CodeProfile = "(code)";

    public static ProfileRequest<TOptions> Named(string? profile, Action<TOptions>? pipelineValues = null) => new(profile, pipelineValues, null);

    public static ProfileRequest<TOptions> FromOptions(TOptions options) => new(null, null, options);
}
