namespace Keel.MemoryGuard;

/// <summary>
/// A place the memory guard reads memory from. Keel reads cgroup v2, cgroup v1, the host's <c>/proc/meminfo</c> and
/// the GC's own limit; implement this to add another (another platform, a GPU, or a fake in tests). The guard's
/// sampler asks every source in the background and the most constraining reading (the highest load) wins.
/// </summary>
public interface IMemoryPressureSource
{
    /// <summary>Gets the source's name, for example <c>cgroup-v1</c>.</summary>
    string Name { get; }

    /// <summary>Reads the source now. Called from the sampler's background timer, never on a model call.</summary>
    /// <param name="reading">The reading, when there is one.</param>
    /// <returns><see langword="true"/> when the source has a limit to report; <see langword="false"/> when it does not apply here (no such file, no limit set).</returns>
    bool TryRead(out MemoryReading reading);
}
