using System.Globalization;
using Keel;
using Keel.Retry;
using Keel.Samples.FlakyDependency;

// A flaky feature store called through a Keel retry pipeline, on a fixed fault schedule (Schedule.cs).
// Waits are real but short; full jitter makes their lengths vary, while attempts and outcomes never do.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = TimeProvider.System;
var store = new FlakyFeatureStore(Schedule.Calls, clock);
var waits = new List<Wait>();

var options = new RetryOptions
{
    MaxAttempts = 4,
    BaseDelay = TimeSpan.FromMilliseconds(50), // backoff waits drawn from [0, 50), [0, 100), [0, 200) ms
    MaxDelay = TimeSpan.FromSeconds(1),        // also caps a server's Retry-After hint
    OnRetry = args =>
    {
        // Copy what we need: the arguments' context is pooled and must not outlive the callback.
        waits.Add(new Wait(args.AttemptNumber, args.Delay, args.IsRetryAfterHint));
        return ValueTask.CompletedTask;
    },
};

var pipeline = InferencePipeline.For<string, float[]>("feature-store", "1.0")
    .WithTimeProvider(clock)
    .UseRetry(options)
    .Build(store.GetFeaturesAsync);

Console.WriteLine($"Keel {pipeline.ModelName} {pipeline.ModelVersion}: [{string.Join(", ", pipeline.Decorators)}]");
Console.WriteLine($"retry: {options.MaxAttempts} attempts, base delay {Ms(options.BaseDelay)} x{options.Factor}, {options.Jitter} jitter, " +
    $"max delay {Ms(options.MaxDelay)}, budget {options.Budget.MaxTokens} tokens / ratio {options.Budget.TokenRatio}");
Console.WriteLine();

var mismatches = new List<string>();
var (succeeded, attemptsTotal, retriesTotal) = (0, 0, 0);
var (backoffWaited, hintWaited) = (TimeSpan.Zero, TimeSpan.Zero);
var budgetStops = new List<int>();
var started = clock.GetTimestamp();

for (var n = 1; n <= Schedule.Calls.Count; n++)
{
    var call = Schedule.Calls[n - 1];
    waits.Clear();
    var callStarted = clock.GetTimestamp();
    float[]? features = null;
    Exception? error = null;
    try
    {
        features = await pipeline.ExecuteAsync(call.CustomerId);
    }
    catch (Exception exception)
    {
        error = exception;
    }

    var elapsed = clock.GetElapsedTime(callStarted);
    var attempts = store.AttemptsOf(call.CustomerId);

    Console.WriteLine($"#{n,-3}{call.CustomerId}  {call.Behaviour}");
    for (var a = 0; a < attempts.Count; a++)
    {
        Console.WriteLine($"    attempt {a + 1,-3}{Describe(attempts[a].Error)}");
        if (a < waits.Count) // OnRetry ran once per retry, in attempt order (Check verifies it)
        {
            var wait = waits[a];
            Console.WriteLine($"    wait       {Ms(wait.Delay),6}  ({(wait.IsRetryAfterHint ? "Retry-After hint" : "backoff")})");
            if (wait.IsRetryAfterHint)
            {
                hintWaited += wait.Delay;
            }
            else
            {
                backoffWaited += wait.Delay;
            }
        }
    }

    // Keel does not tell the caller why it stopped retrying, so the reason is inferred: a transient failure that still
    // had attempts left can only have been stopped by the budget (no MaxTotalDuration is set).
    var budgetStopped = false;
    if (error is not null)
    {
        budgetStopped = TransientFailure.IsTransient(error) && attempts.Count < options.MaxAttempts;
        var reason = !TransientFailure.IsTransient(error) ? "not transient, never retried"
            : budgetStopped ? "retry budget spent, retries stopped"
            : $"all {options.MaxAttempts} attempts used";
        Console.WriteLine($"    no retry   {reason}");
    }

    var outcome = error is null ? ScriptedCall.Ok : error.GetType().Name;
    var problems = Check(call, attempts, waits, outcome);
    Console.WriteLine($"    caller got {(error is null ? Format(features!) : Describe(error))}  in {Ms(elapsed)}");
    Console.WriteLine($"    check      {(problems.Count == 0 ? $"as scheduled: {attempts.Count} attempt(s), {outcome}" : $"MISMATCH: {string.Join("; ", problems)}")}");
    Console.WriteLine();

    mismatches.AddRange(problems.Select(p => $"call #{n} ({call.CustomerId}): {p}"));
    succeeded += error is null ? 1 : 0;
    attemptsTotal += attempts.Count;
    retriesTotal += waits.Count;
    if (budgetStopped)
    {
        budgetStops.Add(n);
    }
}

var calls = Schedule.Calls.Count;
Console.WriteLine("summary");
Console.WriteLine($"  calls           {calls,6}");
Console.WriteLine($"  succeeded       {succeeded,6}");
Console.WriteLine($"  failed          {calls - succeeded,6}");
Console.WriteLine($"  attempts        {attemptsTotal,6}");
Console.WriteLine($"  retries         {retriesTotal,6}");
Console.WriteLine($"  waited          {Ms(backoffWaited + hintWaited),6}  (backoff {Ms(backoffWaited)}, Retry-After {Ms(hintWaited)})");
Console.WriteLine($"  budget stopped  {budgetStops.Count,6}  (calls {string.Join(", ", budgetStops.Select(c => $"#{c}"))})");
Console.WriteLine($"  elapsed         {Ms(clock.GetElapsedTime(started)),6}");
Console.WriteLine();

if (mismatches.Count > 0)
{
    Console.Error.WriteLine($"FAILED: {mismatches.Count} deviation(s) from the schedule:");
    mismatches.ForEach(m => Console.Error.WriteLine($"  {m}"));
    return 1;
}

Console.WriteLine($"OK: all {calls} calls made the scheduled attempts and ended as scheduled.");
return 0;

// What the schedule promises: the attempts and the outcome, one wait per retry, and each wait from the right source
// (the Retry-After hint after a 429, otherwise backoff within its full-jitter range).
List<string> Check(ScriptedCall call, IReadOnlyList<Attempt> attempts, List<Wait> retries, string outcome)
{
    var problems = new List<string>();
    if (attempts.Count != call.ExpectedAttempts || outcome != call.ExpectedOutcome)
    {
        problems.Add($"expected {call.ExpectedAttempts} attempt(s) ending in {call.ExpectedOutcome}, saw {attempts.Count} ending in {outcome}");
    }

    if (retries.Count != attempts.Count - 1)
    {
        problems.Add($"OnRetry ran {retries.Count} time(s) for {attempts.Count} attempt(s)");
    }

    foreach (var retry in retries)
    {
        var throttled = attempts[retry.AttemptNumber - 1].Fault == Fault.Throttled;
        var ceiling = options.BaseDelay * Math.Pow(options.Factor, retry.AttemptNumber - 1);
        var fine = throttled
            ? retry.IsRetryAfterHint && retry.Delay == FlakyFeatureStore.RetryAfterHint
            : !retry.IsRetryAfterHint && retry.Delay >= TimeSpan.Zero && retry.Delay < ceiling;
        if (!fine)
        {
            problems.Add($"wait after attempt {retry.AttemptNumber} was {Ms(retry.Delay)} (hint: {retry.IsRetryAfterHint})");
        }
    }

    return problems;
}

static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:0} ms";

static string Describe(Exception? error) => error is null ? "ok" : $"{error.GetType().Name}: {error.Message}";

static string Format(float[] features) => $"[{string.Join(", ", features.Select(f => f.ToString("0.00")))}]";

/// <summary>One wait before a retry, as <see cref="RetryOptions.OnRetry"/> reported it.</summary>
internal readonly record struct Wait(int AttemptNumber, TimeSpan Delay, bool IsRetryAfterHint);
