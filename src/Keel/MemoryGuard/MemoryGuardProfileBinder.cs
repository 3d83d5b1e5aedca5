using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.MemoryGuard;

/// <summary>
/// Binds <c>Keel:MemoryGuard:{profile}</c> onto a profile's options after every code default has run, so
/// configuration wins over code. The binding is source-generated (no reflection).
/// </summary>
internal sealed class MemoryGuardProfileBinder(IConfiguration memoryGuardSection) : IPostConfigureOptions<MemoryGuardOptions>
{
    public const string SectionName = "MemoryGuard";

    public void PostConfigure(string? name, MemoryGuardOptions options) =>
        memoryGuardSection.GetSection(MemoryGuardOptionsValidator.ProfileName(name)).Bind(options);
}
