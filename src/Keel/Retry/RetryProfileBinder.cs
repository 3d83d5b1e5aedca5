using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Keel.Retry;

/// <summary>
/// Binds <c>Keel:Retry:{profile}</c> onto a profile's options after every code default has run, so configuration
/// wins over code. The binding is source-generated (no reflection).
/// </summary>
internal sealed class RetryProfileBinder(IConfiguration retrySection) : IPostConfigureOptions<RetryOptions>
{
    public const string SectionName = "Retry";

    public void PostConfigure(string? name, RetryOptions options) =>
        retrySection.GetSection(RetryOptionsValidator.ProfileName(name)).Bind(options);
}
