namespace Keel.MemoryGuard;

/// <summary>What the memory guard does with a call that arrives while memory is above the threshold (or its estimate does not fit).</summary>
public enum MemoryGuardAction
{
    /// <summary>
    /// Ask the sampler for one full garbage collection, which runs on the thread pool as a background (non-blocking,
    /// non-compacting) gen 2 collection, never on the caller's thread; wait, at most <see cref="MemoryGuardOptions.MaxWait"/>,
    /// for the sample taken after it, and admit the call if memory is then below the threshold, refuse it otherwise.
    /// At most one collection runs per second (and per sample interval), whichever call asks; a call that asks while
    /// one runs shares it, one that asks soon after is decided on the latest sample at once.
    /// </summary>
    CollectThenReject = 0,

    /// <summary>Wait up to <see cref="MemoryGuardOptions.MaxWait"/> for memory to free, checking each sample; refuse the call if it does not.</summary>
    Wait = 1,

    /// <summary>Refuse the call at once.</summary>
    Reject = 2,
}
