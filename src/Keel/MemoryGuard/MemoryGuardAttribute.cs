using Keel.MemoryGuard;

namespace Keel;

/// <summary>
/// Refuses the method's calls with a <see cref="MemoryPressureException"/> while the process is short of memory, as
/// the container sees it (cgroup limits, not the host's). The source generator compiles it into the method's
/// wrapper; the properties are the profile's defaults, which configuration (<c>Keel:MemoryGuard:{profile}</c>) and
/// code override at start-up.
/// </summary>
/// <example>
/// <code>
/// [MemoryGuard(MaxMemoryLoad = 0.90, EstimatedBytes = 200_000_000)]
/// public ValueTask&lt;float[]&gt; EmbedAsync(float[] image, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MemoryGuardAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="MemoryGuardAttribute"/> class for the default profile.</summary>
    public MemoryGuardAttribute()
    {
        Profile = MemoryGuardDefaults.ProfileName;
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryGuardAttribute"/> class for a named profile.</summary>
    /// <param name="profile">The profile's name, for example <c>image-models</c>.</param>
    public MemoryGuardAttribute(string profile)
    {
        Profile = profile;
    }

    /// <summary>Gets the profile's name.</summary>
    /// <value>The default value is <c>Default</c>.</value>
    public string Profile { get; }

    /// <summary>Gets or sets the memory load above which calls are refused, as a ratio of the limit.</summary>
    /// <value>The default value is 0.90.</value>
    public double MaxMemoryLoad { get; set; } = MemoryGuardDefaults.MaxMemoryLoad;

    /// <summary>Gets or sets what the guard does with a call while memory is short.</summary>
    /// <value>The default value is <see cref="MemoryGuardAction.CollectThenReject"/>.</value>
    public MemoryGuardAction Action { get; set; } = MemoryGuardDefaults.Action;

    /// <summary>Gets or sets how long <see cref="MemoryGuardAction.Wait"/> waits for memory, in milliseconds.</summary>
    /// <value>The default value is 5.</value>
    public double MaxWaitSeconds { get; set; } = MemoryGuardDefaults.MaxWaitSeconds;

    /// <summary>Gets or sets how long a refused caller is told to wait, in milliseconds.</summary>
    /// <value>The default value is 5.</value>
    public double RetryAfterSeconds { get; set; } = MemoryGuardDefaults.RetryAfterSeconds;

    /// <summary>Gets or sets how many bytes one call is expected to need; 0 turns admission control off.</summary>
    /// <value>The default value is 0.</value>
    public long EstimatedBytes { get; set; }
}
