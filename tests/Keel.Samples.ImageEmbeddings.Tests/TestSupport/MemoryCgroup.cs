using System.Diagnostics;
using System.Globalization;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>
/// A memory cgroup (v1, as on these machines, or v2 where its memory controller is delegated) created by the test
/// with a limit it can lower and raise while the service runs inside it, as a vertical autoscaler or a crowded node
/// would. Creating one needs root; the reason is in <see cref="TryCreate"/>'s message when it fails. Removed on dispose,
/// once the processes in it are gone.
/// </summary>
internal sealed class MemoryCgroup : IAsyncDisposable
{
    private const string V1Mount = "/sys/fs/cgroup/memory";
    private const string V2Mount = "/sys/fs/cgroup";
    private readonly string _path;
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2)
    {
        _path = path;
        _v2 = v2;
    }

    public string ProcsFile => Path.Join(_path, "cgroup.procs");

    public static MemoryCgroup? TryCreate(long limitBytes, out string why)
    {
        var name = "keel-service-test-" + Guid.NewGuid().ToString("N");
        var v2 = !Directory.Exists(V1Mount) && File.Exists(Path.Join(V2Mount, "cgroup.controllers"))
            && File.ReadAllText(Path.Join(V2Mount, "cgroup.subtree_control")).Contains("memory", StringComparison.Ordinal);
        if (!Directory.Exists(V1Mount) && !v2)
        {
            why = "there is no cgroup v1 memory controller and no delegated cgroup v2 memory controller";
            return null;
        }

        var path = Path.Join(v2 ? V2Mount : V1Mount, name);
        try
        {
            Directory.CreateDirectory(path);
            var cgroup = new MemoryCgroup(path, v2);
            cgroup.SetLimit(limitBytes);
            why = string.Empty;
            return cgroup;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            why = exception.Message;
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: false);
            }

            return null;
        }
    }

    public void SetLimit(long bytes) =>
        File.WriteAllText(Path.Join(_path, _v2 ? "memory.max" : "memory.limit_in_bytes"), bytes.ToString(CultureInfo.InvariantCulture));

    /// <summary>Bytes in use as the memory guard counts them: usage minus inactive file cache.</summary>
    public long WorkingSetBytes()
    {
        var usage = long.Parse(File.ReadAllText(Path.Join(_path, _v2 ? "memory.current" : "memory.usage_in_bytes")).Trim(), CultureInfo.InvariantCulture);
        var inactiveKey = _v2 ? "inactive_file " : "total_inactive_file ";
        var inactive = File.ReadLines(Path.Join(_path, "memory.stat")).FirstOrDefault(l => l.StartsWith(inactiveKey, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[inactiveKey.Length..], CultureInfo.InvariantCulture)
            : 0;
        return usage - inactive;
    }

    /// <summary>Removes the cgroup once its last process is gone (the kernel may take a moment; retried on a timer, 10 s at most).</summary>
    public async ValueTask DisposeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (true)
        {
            try
            {
                Directory.Delete(_path, recursive: false);
                return;
            }
            catch (IOException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await timer.WaitForNextTickAsync();
            }
        }
    }
}
