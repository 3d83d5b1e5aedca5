using System.Diagnostics.Metrics;
using Keel;
using Keel.MemoryGuard;
using Keel.Samples.AotGenerated;
using Microsoft.Extensions.DependencyInjection;

// Every decorator written as an attribute, checked one behaviour at a time; the exit code is the number of failed
// checks (0 when all pass). eng/aot-generated-check.sh runs the Native AOT binary of this program.
var passed = 0;
var failed = 0;
void Check(string name, bool ok, string detail)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}: {detail}");
    if (ok)
    {
        passed++;
    }
    else
    {
        failed++;
    }
}

// The monitor's duration histogram, heard through a MeterListener (what OpenTelemetry's SDK also uses).
var durations = 0;
using var listener = new MeterListener();
listener.InstrumentPublished = static (instrument, l) =>
{
    if (instrument.Meter.Name == "Keel" && instrument.Name == "keel.inference.duration")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
{
    foreach (var tag in tags)
    {
        if (tag.Key == "keel.model" && Equals(tag.Value, "fraud"))
        {
            Interlocked.Increment(ref durations);
        }
    }
});
listener.Start();

var services = new ServiceCollection();
services.AddKeel().ConfigureMemorySampler(static o =>
{
    o.UseBuiltInSources = false;
    o.Sources.Add(new FixedMemorySource(0.5));
});
services.AddKeelDecorated<IFeatureStore, FlakyFeatureStore>();
using var container = services.BuildServiceProvider();
var model = new FraudModel(container.GetRequiredService<InferencePipelineProvider>());

// 1. CacheResult: the same input twice runs the body once; Monitor records both calls.
var first = await model.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);
var second = await model.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);
Check("cache hit", model.Calls == 1 && first == second && Math.Abs(first - 0.25f) < 1e-6f, $"scores {first} and {second}, body called {model.Calls} time(s)");
Check("monitor", durations == 2, $"{durations} keel.inference.duration measurement(s) for model fraud");

// 2. ValidateInput from the parameter's [Shape], [Finite] and [Within], named by the parameter, before the body.
var invalid = await Refusal<InputValidationException>(() => model.ScoreAsync([0.1f, float.NaN, 0.3f, 2f]).AsTask());
Check(
    "tensor validation",
    invalid is not null && model.Calls == 1
        && invalid.Violations.Any(static v => v.Parameter == "features[1]") && invalid.Violations.Any(static v => v.Parameter == "features[3]")
        && invalid.Message.StartsWith("The input is invalid", StringComparison.Ordinal),
    invalid?.Message ?? "no InputValidationException");

// 3. DataAnnotations on a record parameter, through generated accessors; the cache keys over the record and the int.
var refused = await Refusal<InputValidationException>(() => model.ApproveAsync(new LoanApplication("x", 250_000), 12).AsTask());
var paths = refused is null ? "none" : string.Join(", ", refused.Violations.Select(static v => v.Parameter));
Check("record validation", paths == "application.Applicant, application.Amount", $"{paths}: {refused?.Message}");
var approved = await model.ApproveAsync(new LoanApplication("ada", 5_000), 12);
var again = await model.ApproveAsync(new LoanApplication("ada", 5_000), 12);
var otherTerm = await model.ApproveAsync(new LoanApplication("ada", 5_000), 24);
Check("record cache key", model.Calls == 3 && approved == again && otherTerm != approved, $"'{approved}', '{again}', '{otherTerm}', body called {model.Calls} time(s) in all");

// 4. A synchronous method with [NotEmpty] and [MaxElements].
var empty = SyncRefusal<InputValidationException>(() => model.Count([]));
Check("sync validation", model.Count([1, 2, 3]) == 3 && empty?.Violations[0].Rule == "not-empty", empty?.Message ?? "no InputValidationException");

// 5. The interface form: AddKeelDecorated resolves the generated decorator; Retry absorbs two timeouts; the cache
//    answers the next call; undecorated members are forwarded.
var store = container.GetRequiredService<IFeatureStore>();
var inner = container.GetRequiredService<FlakyFeatureStore>();
Check("decorator resolved", store is FeatureStoreDecorator && store.Name == "flaky", $"{store.GetType().Name}, Name '{store.Name}'");
var features = await store.GetFeaturesAsync("user-42");
Check("retry", inner.Calls == 3 && features.Length == 4, $"{inner.Calls} attempt(s) for 2 timeouts, {features.Length} features");
await store.GetFeaturesAsync("user-42");
Check("decorator cache hit", inner.Calls == 3, $"{inner.Calls} call(s) of the implementation after a second request");
var standalone = InferenceDecorators.Decorate<IFeatureStore>(new FlakyFeatureStore { FailuresLeft = 0 });
Check("decorator without a container", standalone is FeatureStoreDecorator, standalone.GetType().Name);
var undecorated = SyncRefusal<InvalidOperationException>(() => InferenceDecorators.Decorate<IDisposable>(new MemoryStream()).GetHashCode());
Check(
    "undecorated interface refused",
    undecorated?.Message.StartsWith("No Keel decorator was generated for System.IDisposable", StringComparison.Ordinal) == true && !InferenceDecorators.IsDecorated<IDisposable>(),
    undecorated?.Message ?? "no InvalidOperationException");

// 6. MemoryGuard in a second container whose memory is nearly full: refused before the body, and its own pipelines
//    (no cache shared with the first container, which would have answered).
var pressured = new ServiceCollection();
pressured.AddKeel()
    .ConfigureMemoryGuard("Default", static o => o.Action = MemoryGuardAction.Reject)
    .ConfigureMemorySampler(static o =>
    {
        o.UseBuiltInSources = false;
        o.Sources.Add(new FixedMemorySource(0.99));
    });
using var pressuredContainer = pressured.BuildServiceProvider();
var guarded = new FraudModel(pressuredContainer.GetRequiredService<InferencePipelineProvider>());
var pressure = await Refusal<MemoryPressureException>(() => guarded.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]).AsTask());
Check("memory guard", pressure is not null && guarded.Calls == 0, pressure?.Message ?? "no MemoryPressureException");

Console.WriteLine($"aot-generated: {passed} passed, {failed} failed");
return failed;

static async Task<TException?> Refusal<TException>(Func<Task> call)
    where TException : Exception
{
    try
    {
        await call();
        return null;
    }
    catch (TException e)
    {
        return e;
    }
}

static TException? SyncRefusal<TException>(Func<int> call)
    where TException : Exception
{
    try
    {
        call();
        return null;
    }
    catch (TException e)
    {
        return e;
    }
}
