namespace Keel.Samples.FlakyDependency;

/// <summary>
/// One call of the schedule: the faults the store injects on attempts 1, 2, … (then it answers), or on every attempt
/// while it is <paramref name="Down"/>; and what the caller must observe through the pipeline.
/// </summary>
internal sealed record ScriptedCall(
    string CustomerId,
    string Behaviour,
    Fault[] Faults,
    int ExpectedAttempts,
    string ExpectedOutcome,
    bool Down = false)
{
    public const string Ok = "ok";

    public Fault FaultOn(int attempt) =>
        Down ? Faults[0] : attempt <= Faults.Length ? Faults[attempt - 1] : Fault.None;
}

/// <summary>
/// The fixed schedule. Expectations follow from the retry options in Program.cs (4 attempts) and the default retry
/// budget (gRFC A6: 10 tokens; each retryable failure costs 1, each success refunds 0.1; no retry while tokens ≤ 5).
/// The token count after each call is in the comments.
/// </summary>
internal static class Schedule
{
    public static IReadOnlyList<ScriptedCall> Calls { get; } =
    [
        // Healthy: one attempt.                                                               tokens 10.0
        new("cust-001", "healthy", [], 1, ScriptedCall.Ok),

        // A transient timeout, retried after a backoff wait.                         10 - 1 + 0.1 = 9.1
        new("cust-002", "one timeout, then ok", [Fault.Timeout], 2, ScriptedCall.Ok),

        // Two 503s, two backoff waits.                                                 9.1 - 2 + 0.1 = 7.2
        new("cust-003", "two 503s, then ok", [Fault.Unavailable, Fault.Unavailable], 3, ScriptedCall.Ok),

        // A 429 whose Retry-After hint (200 ms) replaces the backoff wait.            7.2 - 1 + 0.1 = 6.3
        new("cust-004", "429 with Retry-After, then ok", [Fault.Throttled], 2, ScriptedCall.Ok),

        // Not transient: the caller gets it at once; it costs no token.                          6.3
        new("cust-005", "bad request (not transient)", [Fault.BadRequest], 1, nameof(ArgumentException)),

        // Outage. The first failure leaves 5.3 tokens, so one retry; the second leaves 4.3 and the budget
        // stops retrying although attempts remain. Later calls fail fast: one attempt each.       4.3
        new("cust-006", "outage: every attempt 503", [Fault.Unavailable], 2, nameof(HttpRequestException), Down: true),
        new("cust-007", "outage: every attempt 503", [Fault.Unavailable], 1, nameof(HttpRequestException), Down: true), // 3.3
        new("cust-008", "outage: every attempt 503", [Fault.Unavailable], 1, nameof(HttpRequestException), Down: true), // 2.3

        // Recovery: successes refund 0.1 each.                                                   2.5
        new("cust-009", "recovered", [], 1, ScriptedCall.Ok),
        new("cust-010", "recovered", [], 1, ScriptedCall.Ok),

        // The budget refills slowly (26 more successes to pass 5), so a blip right after an outage is not
        // retried: the caller gets the timeout.                                                  1.5
        new("cust-011", "one timeout, budget still spent", [Fault.Timeout], 1, nameof(TimeoutException)),
    ];
}
