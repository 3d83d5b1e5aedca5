using Microsoft.Extensions.Options;

namespace Keel.Profiles;

/// <summary>
/// Creates a decorator's options in Keel's fixed order of layers, whatever order the registrations were made in:
/// the pipeline's own values (an attribute's, or those passed to <c>UseX(profile, configure)</c>), then code
/// (<c>ConfigureX</c> and any <c>Configure</c> of the user's), then configuration (<c>Keel:{Section}:{profile}</c>),
/// then the user's <c>PostConfigure</c>, then validation. It replaces the options factory for Keel's options types, so
/// <see cref="IOptionsMonitor{TOptions}"/> gives the same result as a pipeline without values of its own.
/// </summary>
internal sealed class KeelOptionsFactory<TOptions>(
    KeelProfiles profiles,
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations) : IOptionsFactory<TOptions>
    where TOptions : class, new()
{
    private readonly IConfigureOptions<TOptions>[] _setups = [.. setups];
    private readonly IPostConfigureOptions<TOptions>[] _postConfigures = [.. postConfigures];
    private readonly IValidateOptions<TOptions>[] _validations = [.. validations];

    public TOptions Create(string name) => Create(name, pipelineValues: null);

    /// <summary>Creates the options of profile <paramref name="name"/> over <paramref name="pipelineValues"/>, the lowest layer.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; every failure is listed.</exception>
    public TOptions Create(string name, Action<TOptions>? pipelineValues)
    {
        var options = new TOptions();
        pipelineValues?.Invoke(options);
        foreach (var setup in _setups)
        {
            if (setup is IConfigureNamedOptions<TOptions> named)
            {
                named.Configure(name, options);
            }
            else if (name == Options.DefaultName)
            {
                setup.Configure(options);
            }
        }

        if (profiles.Section<TOptions>(name) is { } section)
        {
            profiles.Kind<TOptions>().Bind(section, options);
        }

        foreach (var post in _postConfigures)
        {
            post.PostConfigure(name, options);
        }

        var failures = new List<string>();
        foreach (var validation in _validations)
        {
            var result = validation.Validate(name, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(name, typeof(TOptions), failures);
    }
}

/// <summary>Validates every Keel options type the same way: the profile's <see cref="ProfileKind{TOptions}.Validate"/> under its configuration path.</summary>
internal sealed class KeelOptionsValidator<TOptions>(KeelProfiles profiles) : IValidateOptions<TOptions>
    where TOptions : class, new()
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var kind = profiles.Kind<TOptions>();
        var errors = new List<string>();
        kind.Validate(options, kind.Prefix(string.IsNullOrEmpty(name) ? ProfileKind<TOptions>.DefaultProfile : name), errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The options type whose start-up validation checks the whole <c>Keel</c> configuration section and every profile at once.</summary>
internal sealed class KeelConfigurationCheck
{
}

/// <summary>
/// Runs <see cref="KeelProfiles.Check"/> when the host starts (and when the first pipeline factory is created in a
/// container without a host): one <see cref="OptionsValidationException"/> lists every problem.
/// </summary>
internal sealed class KeelConfigurationValidator(KeelProfiles profiles, IServiceProvider services) : IValidateOptions<KeelConfigurationCheck>
{
    public ValidateOptionsResult Validate(string? name, KeelConfigurationCheck options)
    {
        var errors = profiles.Check(services);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
