namespace Keel.MemoryGuard;

/// <summary>
/// The memory guard's names for the monitor's instruments: <c>keel.memory.rejections</c> (counter, tag
/// <c>keel.memory.action</c>) from each refused call, and <c>keel.memory.load</c> (gauge, ratio) from every sample
/// the sampler takes.
/// </summary>
internal static class MemoryGuardTelemetry
{
    public const string CollectThenReject = "collect_then_reject";
    public const string Wait = "wait";
    public const string Reject = "reject";

    public static string ActionName(MemoryGuardAction action) => action switch
    {
        MemoryGuardAction.CollectThenReject => CollectThenReject,
        MemoryGuardAction.Wait => Wait,
        _ => Reject,
    };
}
