using System.Globalization;

namespace Keel.MemoryGuard;

/// <summary>Parses the kernel's memory files from their text, so tests can feed recorded contents.</summary>
internal static class MemoryFileParsers
{
    /// <summary>
    /// Limits at or above this are "no limit": cgroup v1 writes the largest page-aligned signed 64-bit value
    /// (9223372036854771712) for an unlimited group.
    /// </summary>
    public const long UnlimitedThreshold = long.MaxValue / 2;

    /// <summary>
    /// Reads the cgroup path of a controller from <c>/proc/self/cgroup</c>: for cgroup v1 the line whose controller
    /// list holds <paramref name="controller"/> (<c>4:memory:/path</c>), for cgroup v2 (<paramref name="controller"/>
    /// empty) the unified line <c>0::/path</c>.
    /// </summary>
    public static string? FindCgroupPath(string procSelfCgroup, string controller)
    {
        foreach (var rawLine in procSelfCgroup.Split('\n'))
        {
            var line = rawLine.Trim();
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line[(first + 1)..second];
            var path = line[(second + 1)..];
            var matches = controller.Length == 0
                ? controllers.Length == 0 && line[..first] == "0"
                : controllers.Split(',').Contains(controller, StringComparer.Ordinal);
            if (matches && path.StartsWith('/'))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Parses a limit file (<c>memory.max</c>, <c>memory.limit_in_bytes</c>): <see langword="null"/> for <c>max</c>, an unlimited value, or garbage.</summary>
    public static long? ParseLimit(string text)
    {
        var value = text.Trim();
        if (value.Length == 0 || value == "max")
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is > 0 and < UnlimitedThreshold ? bytes : null;
    }

    /// <summary>Parses a usage file (<c>memory.current</c>, <c>memory.usage_in_bytes</c>).</summary>
    public static long? ParseBytes(string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;

    /// <summary>Reads one <c>key value</c> line of <c>memory.stat</c>, for example <c>inactive_file</c>.</summary>
    public static long? ParseStat(string memoryStat, string key)
    {
        foreach (var rawLine in memoryStat.Split('\n'))
        {
            var line = rawLine.AsSpan().Trim();
            if (line.StartsWith(key, StringComparison.Ordinal) && line.Length > key.Length && line[key.Length] == ' '
                && long.TryParse(line[(key.Length + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Reads <c>MemTotal</c> and <c>MemAvailable</c> from <c>/proc/meminfo</c>, in bytes.</summary>
    public static (long Total, long Available)? ParseMemInfo(string memInfo)
    {
        long? total = null, available = null;
        foreach (var rawLine in memInfo.Split('\n'))
        {
            var colon = rawLine.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = rawLine[..colon].Trim();
            if (name is not ("MemTotal" or "MemAvailable"))
            {
                continue;
            }

            var value = rawLine[(colon + 1)..].Trim();
            var multiplier = 1L;
            if (value.EndsWith("kB", StringComparison.Ordinal))
            {
                multiplier = 1024;
                value = value[..^2].Trim();
            }

            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                continue;
            }

            if (name == "MemTotal")
            {
                total = number * multiplier;
            }
            else
            {
                available = number * multiplier;
            }
        }

        return total is > 0 && available is >= 0 ? (total.Value, Math.Min(available.Value, total.Value)) : null;
    }
}
