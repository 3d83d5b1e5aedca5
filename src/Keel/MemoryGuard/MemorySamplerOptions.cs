namespace Keel.MemoryGuard;

/// <summary>
/// Options of the container's <see cref="MemorySampler"/>, shared by every memory guard of the container: how often
/// memory is read and from where. Set with <c>services.AddKeel().ConfigureMemorySampler(...)</c>.
/// </summary>
public sealed class MemorySamplerOptions
{
    /// <summary>Gets or sets how often the sampler reads its sources. The guards trigger at most one full garbage collection per interval, and never more than one a second.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan SampleInterval { get; set; } = MemoryGuardDefaults.SampleInterval;

    /// <summary>Gets or sets a value indicating whether Keel's own sources (cgroup v2, cgroup v1, <c>/proc/meminfo</c>, the GC's limit) are read.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseBuiltInSources { get; set; } = true;

    /// <summary>Gets the sources read in addition to (or, with <see cref="UseBuiltInSources"/> off, instead of) Keel's own.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<IMemoryPressureSource> Sources { get; } = [];
}
