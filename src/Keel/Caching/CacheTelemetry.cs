using System.Diagnostics.Metrics;
using Keel.Monitoring;

namespace Keel.Caching;

/// <summary>
/// The <c>keel.cache.lookups</c> counts of one model, version and operation, kept on Keel's side: a lookup is one
/// interlocked increment, and the observable counter reads every count when a collector asks. Pipelines of the same
/// model, version and operation in one container share one instance.
/// </summary>
internal sealed class CacheTelemetry(PipelineIdentity identity, Instrument lookups)
{
    public const string MemoryLevel = "memory";
    public const string SharedLevel = "redis";
    public const string Unavailable = "unavailable";

    public PipelineIdentity Identity { get; } = identity;

    public KeelCounter MemoryHits { get; } = new(lookups);

    public KeelCounter MemoryMisses { get; } = new(lookups);

    public KeelCounter MemoryStale { get; } = new(lookups);

    public KeelCounter SharedHits { get; } = new(lookups);

    public KeelCounter SharedMisses { get; } = new(lookups);

    public KeelCounter SharedUnavailable { get; } = new(lookups);

    public static string ResultName(CacheLookupResult result) => result switch
    {
        CacheLookupResult.Hit => "hit",
        CacheLookupResult.Miss => "miss",
        CacheLookupResult.Stale => "stale",
        _ => "none",
    };

    /// <summary>Adds a measurement per count that has moved; a count that is still 0 creates no series.</summary>
    public void Observe(List<Measurement<long>> measurements)
    {
        Add(measurements, MemoryHits, "hit", MemoryLevel);
        Add(measurements, MemoryMisses, "miss", MemoryLevel);
        Add(measurements, MemoryStale, "stale", MemoryLevel);
        Add(measurements, SharedHits, "hit", SharedLevel);
        Add(measurements, SharedMisses, "miss", SharedLevel);
        Add(measurements, SharedUnavailable, Unavailable, SharedLevel);
    }

    private void Add(List<Measurement<long>> measurements, KeelCounter counter, string result, string level)
    {
        var value = counter.Value;
        if (value == 0)
        {
            return;
        }

        measurements.Add(new Measurement<long>(
            value,
            new KeyValuePair<string, object?>(KeelTags.Model, Identity.ModelName),
            new KeyValuePair<string, object?>(KeelTags.ModelVersion, Identity.ModelVersion),
            new KeyValuePair<string, object?>(KeelTags.Operation, Identity.OperationName),
            new KeyValuePair<string, object?>(KeelTags.CacheResult, result),
            new KeyValuePair<string, object?>(KeelTags.CacheLevel, level)));
    }
}
