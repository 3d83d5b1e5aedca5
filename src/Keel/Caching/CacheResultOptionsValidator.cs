using System.Globalization;

namespace Keel.Caching;

/// <summary>
/// Validates <see cref="CacheResultOptions"/> with the same messages for options in code and named profiles validated
/// at start-up. Each message names the option, what it must be and what it was.
/// </summary>
internal static class CacheResultOptionsValidator
{
    public static void Validate(CacheResultOptions options, string prefix, List<string> errors)
    {
        if (options.TimeToLive <= TimeSpan.Zero || options.TimeToLive > CacheResultDefaults.LongestTimeToLive)
        {
            errors.Add(Format($"{prefix}:TimeToLive must be greater than 00:00:00 and at most {CacheResultDefaults.LongestTimeToLive}, but was {options.TimeToLive}."));
        }

        if (options.MaxEntries is < CacheResultDefaults.SmallestMaxEntries or > CacheResultDefaults.LargestMaxEntries)
        {
            errors.Add(Format($"{prefix}:MaxEntries must be between {CacheResultDefaults.SmallestMaxEntries} and {CacheResultDefaults.LargestMaxEntries}, but was {options.MaxEntries}."));
        }

        if (options.MaxStale is { } stale && (stale <= TimeSpan.Zero || stale > CacheResultDefaults.LongestTimeToLive))
        {
            errors.Add(Format($"{prefix}:MaxStale must be greater than 00:00:00 and at most {CacheResultDefaults.LongestTimeToLive} when set, but was {stale}."));
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
