using Keel.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keel;

/// <summary>Returned by <c>services.AddKeel()</c> to configure Keel's profiles and optional parts in a chain.</summary>
public interface IKeelBuilder
{
    /// <summary>Gets the service collection Keel is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the <c>Keel</c> configuration section profiles are read from, or <see langword="null"/> when none was given.</summary>
    IConfiguration? Configuration { get; }

    /// <summary>
    /// Declares a section under <c>Keel:</c> that an add-on reads, for example <c>Redis</c>, with the keys it may hold,
    /// so that start-up accepts them: a key under <c>Keel:</c> that nothing declares stops the host, naming the key.
    /// </summary>
    /// <param name="name">The section's name, for example <c>Redis</c>.</param>
    /// <param name="keys">The keys the section may hold, relative to it (<c>KeySecret</c>, <c>Endpoints:*</c> for a list); <see langword="null"/> accepts any.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    IKeelBuilder AddConfigurationSection(string name, IReadOnlyList<string>? keys);
}

internal sealed class KeelBuilder(IServiceCollection services, IConfiguration? configuration, KeelProfiles profiles) : IKeelBuilder
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration? Configuration { get; } = configuration;

    public KeelProfiles Profiles { get; } = profiles;

    public IKeelBuilder AddConfigurationSection(string name, IReadOnlyList<string>? keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Profiles.AddSection(name, keys);
        return this;
    }

    /// <summary>What every <c>Configure…</c> does: define the profile and add its code layer.</summary>
    public static IKeelBuilder Configure<TOptions>(IKeelBuilder builder, string profile, Action<TOptions> configure)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ProfileNames.ThrowIfInvalid(profile);
        ArgumentNullException.ThrowIfNull(configure);
        var profiles = ProfilesOf(builder);
        profiles.TryResolve<TOptions>(profile, out var canonical);
        profiles.Define<TOptions>(canonical);
        builder.Services.Configure(canonical, configure);
        return builder;
    }

    private static KeelProfiles ProfilesOf(IKeelBuilder builder) =>
        builder is KeelBuilder keel
            ? keel.Profiles
            : builder.Services.LastOrDefault(static d => d.ServiceType == typeof(KeelProfiles))?.ImplementationInstance as KeelProfiles
                ?? throw new InvalidOperationException("Keel is not registered in this service collection: call services.AddKeel() first.");
}
