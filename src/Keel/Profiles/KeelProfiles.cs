using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keel.Profiles;

/// <summary>
/// A container's profiles: which decorators have them, which names are defined (the <c>Default</c> profile, every name
/// given to a <c>Configure…</c> call and every name under the decorator's configuration section), and the
/// <c>Keel</c> configuration section itself. Names match without regard to case, as configuration keys do, and a
/// profile is always resolved to the spelling it was defined with.
/// </summary>
internal sealed class KeelProfiles(IConfiguration? configuration)
{
    private readonly Dictionary<Type, IProfileKind> _kinds = [];
    private readonly Dictionary<Type, HashSet<string>> _definedInCode = [];
    private readonly Dictionary<string, IReadOnlyList<string>?> _otherSections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the <c>Keel</c> configuration section, or <see langword="null"/> when none was given.</summary>
    public IConfiguration? Configuration { get; } = configuration;

    public void Add<TOptions>(ProfileKind<TOptions> kind)
        where TOptions : class, new()
    {
        _kinds[typeof(TOptions)] = kind;
        _definedInCode[typeof(TOptions)] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ProfileKind<TOptions>.DefaultProfile };
    }

    /// <summary>Declares a section under <c>Keel:</c> that an add-on reads (for example <c>Redis</c>), with its keys, or any keys when null.</summary>
    public void AddSection(string name, IReadOnlyList<string>? keys) => _otherSections[name] = keys;

    public void Define<TOptions>(string profile)
        where TOptions : class, new() => _definedInCode[typeof(TOptions)].Add(profile);

    public ProfileKind<TOptions> Kind<TOptions>()
        where TOptions : class, new() => (ProfileKind<TOptions>)_kinds[typeof(TOptions)];

    /// <summary>Returns the configuration section of one profile, or <see langword="null"/> without configuration.</summary>
    public IConfigurationSection? Section<TOptions>(string profile)
        where TOptions : class, new() => Configuration?.GetSection(Kind<TOptions>().Section).GetSection(profile);

    /// <summary>Gets every defined profile name of a decorator, in the spelling each was first defined with, sorted.</summary>
    public IReadOnlyList<string> DefinedNames<TOptions>()
        where TOptions : class, new() => DefinedNames(typeof(TOptions));

    /// <summary>Finds a defined profile regardless of case and returns its defined spelling.</summary>
    public bool TryResolve<TOptions>(string profile, out string canonical)
        where TOptions : class, new()
    {
        foreach (var name in DefinedNames(typeof(TOptions)))
        {
            if (string.Equals(name, profile, StringComparison.OrdinalIgnoreCase))
            {
                canonical = name;
                return true;
            }
        }

        canonical = profile;
        return false;
    }

    /// <summary>
    /// Checks the whole <c>Keel</c> section and every defined profile: keys no option has, sections no decorator
    /// reads, and options that do not validate. Every problem is in the one list.
    /// </summary>
    public List<string> Check(IServiceProvider services)
    {
        var errors = new List<string>();
        if (Configuration is not null)
        {
            var kindsBySection = _kinds.Values.ToDictionary(static k => k.Section, StringComparer.OrdinalIgnoreCase);
            foreach (var section in Configuration.GetChildren())
            {
                if (kindsBySection.TryGetValue(section.Key, out var kind))
                {
                    foreach (var profile in section.GetChildren())
                    {
                        kind.CheckKeys(profile, errors);
                    }
                }
                else if (_otherSections.TryGetValue(section.Key, out var keys))
                {
                    if (keys is not null)
                    {
                        ConfigurationKeys.Check(section, keys, errors);
                    }
                }
                else
                {
                    var known = kindsBySection.Keys.Concat(_otherSections.Keys).Order(StringComparer.Ordinal);
                    errors.Add($"{section.Path} is not a Keel section (a misspelt name?); the sections are {string.Join(", ", known)}.");
                }
            }
        }

        foreach (var checker in services.GetServices<IProfileChecker>())
        {
            foreach (var name in DefinedNames(checker.OptionsType))
            {
                checker.Check(name, errors);
            }
        }

        return errors;
    }

    private List<string> DefinedNames(Type type)
    {
        var names = new List<string>(_definedInCode[type]);
        if (Configuration is not null)
        {
            foreach (var child in Configuration.GetSection(_kinds[type].Section).GetChildren())
            {
                if (!names.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(child.Key);
                }
            }
        }

        names.Sort(StringComparer.OrdinalIgnoreCase);
        return names;
    }
}

/// <summary>Validates one decorator's named profiles at start-up.</summary>
internal interface IProfileChecker
{
    Type OptionsType { get; }

    void Check(string profile, List<string> errors);
}

/// <summary>Creates a profile's options through the container's options factory and collects its validation failures.</summary>
internal sealed class ProfileChecker<TOptions>(IOptionsMonitor<TOptions> options) : IProfileChecker
    where TOptions : class, new()
{
    public Type OptionsType => typeof(TOptions);

    public void Check(string profile, List<string> errors)
    {
        try
        {
            _ = options.Get(profile);
        }
        catch (OptionsValidationException exception)
        {
            errors.AddRange(exception.Failures);
        }
    }
}
