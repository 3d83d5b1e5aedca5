using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.DependencyInjection;

/// <summary>
/// Binds <c>Keel:{decorator}:{profile}</c> onto a profile's options after every code default has run, so
/// configuration wins over code. <paramref name="bind"/> is a lambda written for the concrete options type, so the
/// configuration-binding source generator binds it (no reflection).
/// </summary>
internal sealed class ProfileBinder<TOptions>(IConfiguration decoratorSection, string defaultProfile, Action<IConfiguration, TOptions> bind)
    : IPostConfigureOptions<TOptions>
    where TOptions : class
{
    public void PostConfigure(string? name, TOptions options) =>
        bind(decoratorSection.GetSection(string.IsNullOrEmpty(name) ? defaultProfile : name), options);
}
