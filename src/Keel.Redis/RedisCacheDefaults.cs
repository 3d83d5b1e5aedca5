namespace Keel.Redis;

/// <summary>The defaults and limits of <see cref="RedisCacheOptions"/>, in one place.</summary>
internal static class RedisCacheDefaults
{
    public const string SectionName = "Redis";
    public const string ConfigurationPath = "Keel:Redis";
    public const int MinimumKeySecretBytes = 32;
    public const int OperationTimeoutMilliseconds = 50;
    public const int BreakDurationMilliseconds = 5_000;
    public const int ConnectTimeoutMilliseconds = 5_000;
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>The largest value Redis stores in one string (512 MiB).</summary>
    public const int LargestMaxPayloadBytes = 512 * 1024 * 1024;

    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(OperationTimeoutMilliseconds);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromMilliseconds(BreakDurationMilliseconds);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(ConnectTimeoutMilliseconds);

    /// <summary>The longest operation or connect timeout the options accept, to catch a unit mistake.</summary>
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The longest back-off the options accept.</summary>
    public static readonly TimeSpan LongestBreakDuration = TimeSpan.FromHours(1);
}
