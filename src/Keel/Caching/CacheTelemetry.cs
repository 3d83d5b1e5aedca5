using Keel.Monitoring;

namespace Keel.Caching;

/// <summary>
/// What the cache decorator reports about its lookups, tagged with the pipeline's model, version and operation: the
/// <c>keel.cache.lookups</c> counter of the pipeline's <see cref="KeelInstruments"/>. Nothing is built or allocated when
/// nobody listens.
/// </summary>
internal sealed class CacheTelemetry(string modelName, string modelVersion, string operationName, KeelInstruments instruments)
{
    public const string MemoryLevel = "memory";
    public const string SharedLevel = "redis";
    public const string Unavailable = "unavailable";

    private readonly KeelInstruments _instruments = instruments;

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    public string OperationName { get; } = operationName;

    public void RecordLookup(CacheLookupResult result, string level) =>
        _instruments.RecordCacheLookup(ModelName, ModelVersion, OperationName, ResultName(result), level);

    /// <summary>Counts a lookup the level could not answer (a shared level that is down or too slow).</summary>
    public void RecordUnavailable(string level) =>
        _instruments.RecordCacheLookup(ModelName, ModelVersion, OperationName, Unavailable, level);

    public static string ResultName(CacheLookupResult result) => result switch
    {
        CacheLookupResult.Hit => "hit",
        CacheLookupResult.Miss => "miss",
        CacheLookupResult.Stale => "stale",
        _ => "none",
    };
}
