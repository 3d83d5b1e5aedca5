namespace Keel.MemoryGuard;

/// <summary>
/// The garbage collector's own limit: <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which is the heap hard
/// limit when one is set (<c>DOTNET_GCHeapHardLimit</c>, or 75 % of a container's limit), against the managed bytes
/// allocated now (<see cref="GC.GetTotalMemory(bool)"/>). Works on every platform.
/// </summary>
internal sealed class GcMemorySource : IMemoryPressureSource
{
    public const string SourceName = "gc";

    public string Name => SourceName;

    public bool TryRead(out MemoryReading reading)
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (limit <= 0)
        {
            reading = default;
            return false;
        }

        reading = new MemoryReading(SourceName, limit, GC.GetTotalMemory(forceFullCollection: false));
        return true;
    }
}
