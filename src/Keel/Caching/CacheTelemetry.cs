namespace Keel.Caching;

/// <summary>What the cache decorator reports about its lookups, tagged with the pipeline's model, version and operation.</summary>
internal sealed class CacheTelemetry(string modelName, string modelVersion, string operationName)
{
    public const string MemoryLevel = "memory";
    public const string SharedLevel = "redis";

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    public string OperationName { get; } = operationName;

    public void RecordLookup(CacheLookupResult result, string level)
    {
        _ = result;
        _ = level;
    }

    public void RecordUnavailable(string level) => _ = level;
}
