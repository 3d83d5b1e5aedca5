using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Keel.Profiles;

/// <summary>
/// What Keel knows about one decorator's profiles, the same shape for every decorator: the configuration section
/// (<c>Keel:{Section}:{profile}</c>), the option keys a profile may set, how configuration binds onto the options, and
/// how they are validated. Every decorator's options go through this one mechanism: attribute values, then code
/// (<c>Configure…</c>), then configuration, then the user's own post-configuration, then validation.
/// </summary>
/// <typeparam name="TOptions">The decorator's options.</typeparam>
internal sealed class ProfileKind<TOptions>(
    string section,
    IReadOnlyList<string> keys,
    Action<IConfiguration, TOptions> bind,
    Action<TOptions, string, List<string>> validate) : IProfileKind
    where TOptions : class, new()
{
    /// <summary>The name of the profile that <c>[X]</c> and <c>UseX()</c> use, and that always exists.</summary>
    public const string DefaultProfile = "Default";

    /// <inheritdoc/>
    public string Section { get; } = section;

    /// <summary>
    /// Gets the option keys a profile may set, relative to the profile's section, with <c>:</c> between levels
    /// (<c>Budget:MaxTokens</c>); a key ending in <c>:*</c> is a list whose items may follow.
    /// </summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>Binds a profile's configuration section onto options. A lambda on the concrete type, so the binding generator binds it.</summary>
    public Action<IConfiguration, TOptions> Bind { get; } = bind;

    /// <summary>Validates options, each message naming the key (after the prefix), what it must be and what it was.</summary>
    public Action<TOptions, string, List<string>> Validate { get; } = validate;

    /// <summary>The prefix of a named profile's messages: its configuration path.</summary>
    public string Prefix(string profile) => string.Create(CultureInfo.InvariantCulture, $"Keel:{Section}:{profile}");

    /// <inheritdoc/>
    public void CheckKeys(IConfigurationSection profile, List<string> errors) => ConfigurationKeys.Check(profile, Keys, errors);
}

/// <summary>The part of a <see cref="ProfileKind{TOptions}"/> that does not depend on the options type.</summary>
internal interface IProfileKind
{
    string Section { get; }

    /// <summary>Adds an error for every key under <paramref name="profile"/> that no option has.</summary>
    void CheckKeys(IConfigurationSection profile, List<string> errors);
}

/// <summary>Finds configuration keys that no option has: a misspelt key must stop start-up, not be ignored.</summary>
internal static class ConfigurationKeys
{
    public static void Check(IConfigurationSection section, IReadOnlyList<string> known, List<string> errors)
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null || IsKnown(key, known))
            {
                continue;
            }

            errors.Add($"{section.Path}:{key} is not a Keel option (a misspelt key?); the options of this section are {string.Join(", ", known.Select(static k => k.Replace(":*", "[]", StringComparison.Ordinal)))}.");
        }
    }

    private static bool IsKnown(string key, IReadOnlyList<string> known)
    {
        foreach (var candidate in known)
        {
            if (candidate.EndsWith(":*", StringComparison.Ordinal))
            {
                var list = candidate[..^2];
                if (key.Length > list.Length + 1
                    && key.StartsWith(list, StringComparison.OrdinalIgnoreCase)
                    && key[list.Length] == ':'
                    && int.TryParse(key.AsSpan(list.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return true;
                }
            }
            else if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
