using Keel.Caching;

namespace Keel;

/// <summary>
/// Caches the method's results by its arguments, model name and version, verifying every hit against the input. The
/// source generator compiles it into the method's wrapper. The properties set on the attribute are the lowest layer of
/// the profile's options: code (<c>ConfigureCacheResult</c>) and then configuration (<c>Keel:CacheResult:{profile}</c>)
/// override them. Times are in seconds, as in every Keel attribute.
/// </summary>
/// <example>
/// <code>
/// [CacheResult(TtlSeconds = 30)]
/// public ValueTask&lt;float&gt; ScoreAsync(float[] features, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CacheResultAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="CacheResultAttribute"/> class for the default profile.</summary>
    public CacheResultAttribute()
    {
        Profile = CacheResultDefaults.ProfileName;
    }

    /// <summary>Initializes a new instance of the <see cref="CacheResultAttribute"/> class for a named profile.</summary>
    /// <param name="profile">The profile's name, for example <c>embeddings</c>.</param>
    public CacheResultAttribute(string profile)
    {
        Profile = profile;
    }

    /// <summary>Gets the profile's name.</summary>
    /// <value>The default value is <c>Default</c>.</value>
    public string Profile { get; }

    /// <summary>Gets or sets how long a result is served, in seconds.</summary>
    /// <value>The default value is 300.</value>
    public double TtlSeconds { get; set; } = CacheResultDefaults.TimeToLiveSeconds;

    /// <summary>Gets or sets the most results kept in memory.</summary>
    /// <value>The default value is 10,000.</value>
    public int MaxEntries { get; set; } = CacheResultDefaults.MaxEntries;

    /// <summary>Gets or sets how long after expiring a result may be served when the model fails, in seconds; 0 never serves stale results.</summary>
    /// <value>The default value is 0.</value>
    public double MaxStaleSeconds { get; set; }
}
