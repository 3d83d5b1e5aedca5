using System.Net;

namespace Keel.Samples.FlakyDependency;

/// <summary>What the simulated feature store does on one attempt.</summary>
internal enum Fault
{
    /// <summary>Answers with the customer's features.</summary>
    None,

    /// <summary>No answer within the client's timeout: a <see cref="TimeoutException"/> (transient).</summary>
    Timeout,

    /// <summary>503 Service Unavailable: an <see cref="HttpRequestException"/> with that status (transient).</summary>
    Unavailable,

    /// <summary>429 Too Many Requests with a Retry-After header: a <see cref="TransientException"/> carrying the hint.</summary>
    Throttled,

    /// <summary>400 Bad Request for a malformed id: an <see cref="ArgumentException"/> (not transient, never retried).</summary>
    BadRequest,
}

/// <summary>One attempt as the store saw it.</summary>
internal sealed record Attempt(Fault Fault, Exception? Error);

/// <summary>
/// A feature-store client with deterministic fault injection: each customer id has a scripted call, and the store
/// fails attempt n of that call with the call's nth fault (every attempt while the store is down), then succeeds.
/// </summary>
internal sealed class FlakyFeatureStore
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan RetryAfterHint = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<string, ScriptedCall> _script;
    private readonly Dictionary<string, List<Attempt>> _attempts = [];
    private readonly TimeProvider _clock;

    public FlakyFeatureStore(IEnumerable<ScriptedCall> script, TimeProvider clock)
    {
        _script = script.ToDictionary(call => call.CustomerId);
        _clock = clock;
    }

    public IReadOnlyList<Attempt> AttemptsOf(string customerId) =>
        _attempts.TryGetValue(customerId, out var attempts) ? attempts : [];

    public async ValueTask<float[]> GetFeaturesAsync(string customerId, CancellationToken cancellationToken)
    {
        if (!_attempts.TryGetValue(customerId, out var attempts))
        {
            _attempts[customerId] = attempts = [];
        }

        var fault = _script[customerId].FaultOn(attempts.Count + 1);
        var error = CreateError(fault, customerId);
        attempts.Add(new Attempt(fault, error));

        await Task.Delay(fault == Fault.Timeout ? ClientTimeout : Latency, _clock, cancellationToken);
        return error is null ? Features(customerId) : throw error;
    }

    private static Exception? CreateError(Fault fault, string customerId) => fault switch
    {
        Fault.None => null,
        Fault.Timeout => new TimeoutException($"no answer within {ClientTimeout.TotalMilliseconds} ms"),
        Fault.Unavailable => new HttpRequestException("503 Service Unavailable", null, HttpStatusCode.ServiceUnavailable),
        Fault.Throttled => new TransientException("429 Too Many Requests") { RetryAfter = RetryAfterHint },
        Fault.BadRequest => new ArgumentException("400 Bad Request: malformed customer id", nameof(customerId)),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    // Four stable pseudo-features per customer, so results are the same on every run.
    private static float[] Features(string customerId)
    {
        var seed = customerId.Select((c, i) => c * (i + 1)).Sum();
        return [.. Enumerable.Range(0, 4).Select(i => ((seed * (i + 7)) % 100) / 100f)];
    }
}
