namespace Keel.MemoryGuard;

/// <summary>
/// What the memory guard reports for the monitor's instruments: <c>keel.memory.rejections</c> (counter, tag
/// <c>action</c>) from <see cref="RecordRejection"/>, and <c>keel.memory.load</c> (gauge, ratio) from
/// <see cref="MemorySampler.Current"/>. It records nothing until the monitor wires its meter here.
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

    /// <summary>Called once per refused call, on the rejection path only.</summary>
    public static void RecordRejection(string modelName, string modelVersion, string action)
    {
        _ = modelName;
        _ = modelVersion;
        _ = action;
    }
}
