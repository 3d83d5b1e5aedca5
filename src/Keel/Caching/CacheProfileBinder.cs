using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.Caching;

/// <summary>
/// Binds <c>Keel:Cache:{profile}</c> onto a profile's options after every code default has run, so configuration
/// wins over code. The binding is source-generated (no reflection).
/// </summary>
internal sealed class CacheProfileBinder(IConfiguration cacheSection) : IPostConfigureOptions<CacheResultOptions>
{
    public const string SectionName = "Cache";

    public void PostConfigure(string? name, CacheResultOptions options) =>
        cacheSection.GetSection(CacheResultOptionsValidator.ProfileName(name)).Bind(options);
}
