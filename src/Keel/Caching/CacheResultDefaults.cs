using Keel.Profiles;
using Microsoft.Extensions.Configuration;

namespace Keel.Caching;

/// <summary>The defaults of <see cref="CacheResultOptions"/> and <see cref="CacheResultAttribute"/>.</summary>
internal static class CacheResultDefaults
{
    public const string ProfileName = "Default";
    public const double TimeToLiveSeconds = 300;
    public const int MaxEntries = 10_000;
    public const int LargestMaxEntries = 10_000_000;

    /// <summary>BitFaster's LRU splits its capacity into hot, warm and cold queues and needs one slot for each.</summary>
    public const int SmallestMaxEntries = 3;

    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(TimeToLiveSeconds);
    public static readonly TimeSpan LongestTimeToLive = TimeSpan.FromDays(30);

    /// <summary>The cache's profiles: <c>Keel:CacheResult:{profile}</c>.</summary>
    public static readonly ProfileKind<CacheResultOptions> Profile = new(
        "CacheResult",
        ["TimeToLive", "MaxEntries", "MaxStale", "UseDistributedLevel"],
        static (section, options) => section.Bind(options),
        CacheResultOptionsValidator.Validate);
}
