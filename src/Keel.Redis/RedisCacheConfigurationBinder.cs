using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.Redis;

/// <summary>
/// Binds the <c>Keel:Redis</c> section onto <see cref="RedisCacheOptions"/> after the code defaults, so configuration
/// wins over code. The binding is source-generated (no reflection).
/// </summary>
internal sealed class RedisCacheConfigurationBinder(IConfiguration redisSection) : IPostConfigureOptions<RedisCacheOptions>
{
    public void PostConfigure(string? name, RedisCacheOptions options) => redisSection.Bind(options);
}
