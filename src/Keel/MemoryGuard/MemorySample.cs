namespace Keel.MemoryGuard;

/// <summary>
/// One immutable sample, published by the sampler with a single reference write so that the per-call check is one
/// field read and every field it reads belongs to the same sample.
/// </summary>
internal sealed class MemorySample(MemoryReading reading)
{
    /// <summary>The sample before any source answered, or when none applies: no limit known, nothing refused.</summary>
    public static readonly MemorySample Unknown = new(new MemoryReading("none", long.MaxValue, 0));

    public MemoryReading Reading { get; } = reading;

    public double Load { get; } = reading.Load;

    public long LimitBytes { get; } = reading.LimitBytes;

    public long UsedBytes { get; } = reading.UsedBytes;
}
