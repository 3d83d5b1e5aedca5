namespace Keel.MemoryGuard;

/// <summary>
/// The host's memory from <c>/proc/meminfo</c>: the limit is <c>MemTotal</c> and the bytes in use are
/// <c>MemTotal − MemAvailable</c>. Inside a container this is the node's memory, not the container's: it guards only
/// against the node running out, which is why the cgroup sources exist.
/// </summary>
internal sealed class HostMemorySource(string memInfoPath = "/proc/meminfo") : IMemoryPressureSource
{
    public const string SourceName = "meminfo";

    public string Name => SourceName;

    public bool TryRead(out MemoryReading reading)
    {
        reading = default;
        string text;
        try
        {
            if (!File.Exists(memInfoPath))
            {
                return false;
            }

            text = File.ReadAllText(memInfoPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (MemoryFileParsers.ParseMemInfo(text) is not var (total, available))
        {
            return false;
        }

        reading = new MemoryReading(SourceName, total, total - available);
        return true;
    }
}
