namespace Keel.MemoryGuard;

/// <summary>What the memory guard does with a call that arrives while memory is above the threshold (or its estimate does not fit).</summary>
public enum MemoryGuardAction
{
    /// <summary>
    /// Run one blocking full garbage collection, then check again and refuse the call if memory is still short. At most
    /// one collection runs per sample interval, whichever call triggers it; the others check the fresh sample it leaves.
    /// </summary>
    CollectThenReject = 0,

    /// <summary>Wait up to <see cref="MemoryGuardOptions.MaxWait"/> for memory to free, checking each sample; refuse the call if it does not.</summary>
    Wait = 1,

    /// <summary>Refuse the call at once.</summary>
    Reject = 2,
}
