namespace Keel.Caching;

/// <summary>Options of the cache decorator: how long results live, how many the process keeps, and serve-stale.</summary>
public sealed class CacheResultOptions
{
    /// <summary>Gets or sets how long a result is served after the model produced it.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan TimeToLive { get; set; } = CacheResultDefaults.TimeToLive;

    /// <summary>
    /// Gets or sets the most results the in-memory level of one pipeline keeps; the least recently used go first.
    /// Each entry holds the input's bytes (to verify every hit) and the result, so size it to the input: 10,000
    /// entries of a 64-float input take about 3 MB, but of a 1×3×224×224 image about 6 GB. At least 3.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int MaxEntries { get; set; } = CacheResultDefaults.MaxEntries;

    /// <summary>
    /// Gets or sets how long after expiring a result may still be served when the model call fails (FusionCache's
    /// fail-safe), or <see langword="null"/> to never serve a stale result.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? MaxStale { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the pipeline uses the shared level registered in the container
    /// (<c>AddRedisCache</c>) behind its in-memory level.
    /// </summary>
    /// <value>The default value is <see langword="true"/>; without a registered shared level it has no effect.</value>
    public bool UseDistributedLevel { get; set; } = true;
}
