namespace Keel.MemoryGuard;

/// <summary>
/// Reads a memory cgroup the way the container runtime and Kubernetes judge it: the limit, and the usage minus the
/// inactive file cache (the "working set"), at the process's own cgroup (named in <c>/proc/self/cgroup</c>) and at
/// each ancestor that has a limit; the most loaded level wins. When the named path does not exist under the mount
/// (a container that sees the host's path but has its own cgroup mounted at the root), the mount's root is read.
/// </summary>
internal sealed class CgroupMemorySource : IMemoryPressureSource
{
    public const string V1Name = "cgroup-v1";
    public const string V2Name = "cgroup-v2";

    private readonly string _procSelfCgroup;
    private readonly string _mount;
    private readonly string _controller;
    private readonly string _limitFile;
    private readonly string _usageFile;
    private readonly string[] _inactiveFileKeys;

    private CgroupMemorySource(string name, string procSelfCgroup, string mount, string controller, string limitFile, string usageFile, string[] inactiveFileKeys)
    {
        Name = name;
        _procSelfCgroup = procSelfCgroup;
        _mount = mount;
        _controller = controller;
        _limitFile = limitFile;
        _usageFile = usageFile;
        _inactiveFileKeys = inactiveFileKeys;
    }

    public string Name { get; }

    /// <summary>cgroup v1: <c>memory.limit_in_bytes</c>, <c>memory.usage_in_bytes</c> minus <c>total_inactive_file</c>.</summary>
    public static CgroupMemorySource V1(string procSelfCgroup = "/proc/self/cgroup", string mount = "/sys/fs/cgroup/memory") =>
        new(V1Name, procSelfCgroup, mount, "memory", "memory.limit_in_bytes", "memory.usage_in_bytes", ["total_inactive_file", "inactive_file"]);

    /// <summary>cgroup v2: <c>memory.max</c>, <c>memory.current</c> minus <c>inactive_file</c>.</summary>
    public static CgroupMemorySource V2(string procSelfCgroup = "/proc/self/cgroup", string mount = "/sys/fs/cgroup") =>
        new(V2Name, procSelfCgroup, mount, string.Empty, "memory.max", "memory.current", ["inactive_file"]);

    public bool TryRead(out MemoryReading reading)
    {
        reading = default;
        var cgroupText = ReadFile(_procSelfCgroup);
        if (cgroupText is null || MemoryFileParsers.FindCgroupPath(cgroupText, _controller) is not { } path)
        {
            return false;
        }

        var found = false;
        foreach (var directory in Levels(path))
        {
            if (TryReadLevel(directory, out var level) && (!found || level.Load > reading.Load))
            {
                reading = level;
                found = true;
            }
        }

        return found;
    }

    private IEnumerable<string> Levels(string path)
    {
        var own = Path.Join(_mount, path);
        if (!Directory.Exists(own))
        {
            yield return _mount;
            yield break;
        }

        var relative = path.TrimEnd('/');
        while (relative.Length > 0)
        {
            yield return Path.Join(_mount, relative);
            relative = relative[..relative.LastIndexOf('/')];
        }

        yield return _mount;
    }

    private bool TryReadLevel(string directory, out MemoryReading reading)
    {
        reading = default;
        if (ReadFile(Path.Join(directory, _limitFile)) is not { } limitText || MemoryFileParsers.ParseLimit(limitText) is not { } limit
            || ReadFile(Path.Join(directory, _usageFile)) is not { } usageText || MemoryFileParsers.ParseBytes(usageText) is not { } usage)
        {
            return false;
        }

        var inactive = 0L;
        if (ReadFile(Path.Join(directory, "memory.stat")) is { } stat)
        {
            foreach (var key in _inactiveFileKeys)
            {
                if (MemoryFileParsers.ParseStat(stat, key) is { } value)
                {
                    inactive = value;
                    break;
                }
            }
        }

        reading = new MemoryReading(Name, limit, Math.Max(0, usage - inactive));
        return true;
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
