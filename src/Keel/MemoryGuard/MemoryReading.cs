namespace Keel.MemoryGuard;

/// <summary>
/// One reading of a memory source: how many bytes the process may use under this source's limit, and how many are in
/// use now. The memory guard compares <see cref="Load"/> with its threshold and reserves estimates against the rest.
/// </summary>
public readonly struct MemoryReading
{
    /// <summary>Initializes a new instance of the <see cref="MemoryReading"/> struct.</summary>
    /// <param name="source">The name of the source, for example <c>cgroup-v1</c>; it appears in logs and exceptions.</param>
    /// <param name="limitBytes">The limit in bytes; greater than 0.</param>
    /// <param name="usedBytes">The bytes in use; 0 or more (more than <paramref name="limitBytes"/> is allowed).</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limitBytes"/> is 0 or less, or <paramref name="usedBytes"/> is negative.</exception>
    public MemoryReading(string source, long limitBytes, long usedBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (limitBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limitBytes), limitBytes, $"The limit must be greater than 0 bytes, but was {limitBytes}.");
        }

        if (usedBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(usedBytes), usedBytes, $"The bytes in use must be 0 or more, but was {usedBytes}.");
        }

        Source = source;
        LimitBytes = limitBytes;
        UsedBytes = usedBytes;
    }

    /// <summary>Gets the name of the source the reading came from.</summary>
    public string Source { get; }

    /// <summary>Gets the limit in bytes.</summary>
    public long LimitBytes { get; }

    /// <summary>Gets the bytes in use.</summary>
    public long UsedBytes { get; }

    /// <summary>Gets the bytes in use as a ratio of the limit: 0 when idle, 1 at the limit, above 1 over it.</summary>
    public double Load => LimitBytes <= 0 ? 0 : (double)UsedBytes / LimitBytes;
}
