using Keel.Profiles;
using Microsoft.Extensions.Configuration;

namespace Keel.MemoryGuard;

/// <summary>The defaults of <see cref="MemoryGuardOptions"/>, <see cref="MemoryGuardAttribute"/> and the sampler, in one place.</summary>
internal static class MemoryGuardDefaults
{
    public const string ProfileName = "Default";
    public const double MaxMemoryLoad = 0.90;
    public const MemoryGuardAction Action = MemoryGuardAction.CollectThenReject;
    public const double MaxWaitSeconds = 5;
    public const double RetryAfterSeconds = 5;
    public const int SampleIntervalMilliseconds = 250;

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(MaxWaitSeconds);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(RetryAfterSeconds);
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(SampleIntervalMilliseconds);

    /// <summary>The longest wait or retry hint the options accept, to catch a unit mistake.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>The shortest time between two guard-triggered collections, whatever the sample interval.</summary>
    public static readonly TimeSpan ShortestCollectionInterval = TimeSpan.FromSeconds(1);

    /// <summary>The sampler's bounds: faster costs CPU for nothing, slower lets memory run out between samples.</summary>
    public static readonly TimeSpan ShortestSampleInterval = TimeSpan.FromMilliseconds(1);
    public static readonly TimeSpan LongestSampleInterval = TimeSpan.FromMinutes(1);

    /// <summary>The memory guard's profiles: <c>Keel:MemoryGuard:{profile}</c>.</summary>
    public static readonly ProfileKind<MemoryGuardOptions> Profile = new(
        "MemoryGuard",
        ["MaxMemoryLoad", "Action", "MaxWait", "RetryAfter", "EstimatedBytes"],
        static (section, options) => section.Bind(options),
        MemoryGuardOptionsValidator.Validate);
}
