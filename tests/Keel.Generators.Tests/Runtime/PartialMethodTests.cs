using Keel.Generators.Tests.TestSupport;
using Keel.MemoryGuard;
using Keel.Retry;

namespace Keel.Generators.Tests.Runtime;

public class PartialMethodTests
{
    [Fact]
    public async Task ScoreAsync_SameInputTwice_CallsTheBodyOnce()
    {
        using var container = new TestContainer();
        var model = new FraudModel(container.Pipelines);

        var first = await model.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);
        var second = await model.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);

        Assert.Equal(1.0f, first, 5);
        Assert.Equal(first, second);
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ScoreAsync_TwoInstancesInOneContainer_ShareOnePipeline()
    {
        using var container = new TestContainer();
        var a = new FraudModel(container.Pipelines);
        var b = new FraudModel(container.Pipelines);

        await a.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);
        await b.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);

        Assert.Equal(1, a.Calls);
        Assert.Equal(0, b.Calls);
    }

    [Fact]
    public async Task ScoreAsync_TwoContainers_DoNotShareACache()
    {
        using var first = new TestContainer();
        using var second = new TestContainer();
        var a = new FraudModel(first.Pipelines);
        var b = new FraudModel(second.Pipelines);

        await a.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);
        await b.ScoreAsync([0.1f, 0.2f, 0.3f, 0.4f]);

        Assert.Equal(1, a.Calls);
        Assert.Equal(1, b.Calls);
    }

    [Fact]
    public async Task ScoreAsync_InvalidInput_ThrowsBeforeTheBodyNamingTheParameter()
    {
        var model = new FraudModel();

        var error = await Assert.ThrowsAsync<InputValidationException>(() => model.ScoreAsync([float.NaN, 2f, 0f]).AsTask());

        Assert.Equal(0, model.Calls);
        Assert.All(error.Violations, v => Assert.StartsWith("features", v.Parameter, StringComparison.Ordinal));
        Assert.Contains(error.Violations, v => v.Rule == "shape");
    }

    [Fact]
    public async Task ScoreAsync_TransientFailures_RetriesWithTheAttributesBackoff()
    {
        // The exact waits are the retry decorator's own tests' business; here: the attribute's values reach it (1 s,
        // then 2 s, without jitter: the call cannot end before 3 s of fake time have passed).
        using var container = new TestContainer();
        var model = new FraudModel(container.Pipelines);
        model.FailNext(new TimeoutException(), new TimeoutException());
        var started = container.Time.GetUtcNow();

        var result = await container.RunAsync(model.ScoreAsync([0.5f, 0.5f, 0f, 0f]).AsTask());

        Assert.Equal(1f, result);
        Assert.Equal(3, model.Calls);
        Assert.True(container.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ScoreAsync_FailingOnEveryAttempt_StopsAtTheAttributesMaxAttempts()
    {
        using var container = new TestContainer();
        var model = new FraudModel(container.Pipelines);
        model.FailNext(new TimeoutException(), new TimeoutException(), new TimeoutException(), new TimeoutException());

        await Assert.ThrowsAsync<TimeoutException>(() => container.RunAsync(model.ScoreAsync([0.5f, 0.5f, 0f, 0f]).AsTask()));

        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public async Task ScoreAsync_ConfigurationOverridesTheAttribute_RetriesAsConfigured()
    {
        using var container = new TestContainer(new Dictionary<string, string?> { ["Keel:Retry:Default:MaxAttempts"] = "1" });
        var model = new FraudModel(container.Pipelines);
        model.FailNext(new TimeoutException());

        await Assert.ThrowsAsync<TimeoutException>(() => model.ScoreAsync([0.5f, 0.5f, 0f, 0f]).AsTask());
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ScoreAsync_MemoryPressure_RefusesWithoutCallingTheBody()
    {
        using var container = new TestContainer();
        container.Memory.Load = 0.99;
        var model = new FraudModel(container.Pipelines);

        var error = await Assert.ThrowsAsync<MemoryPressureException>(() => model.ScoreAsync([0.5f, 0.5f, 0f, 0f]).AsTask());

        Assert.Equal(0, model.Calls);
        Assert.True(error.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task ScoreAsync_Monitored_RecordsOneDurationAndSpanWithTheModelsIdentity()
    {
        using var telemetry = new TelemetryRecorder("fraud");
        var model = new FraudModel(new TestContainer().Pipelines);

        await model.ScoreAsync([0.1f, 0.1f, 0.1f, 0.1f]);

        var measurement = Assert.Single(telemetry.Measurements);
        Assert.Contains("keel.model.version=3.2.0", measurement, StringComparison.Ordinal);
        Assert.Contains("keel.operation=score", measurement, StringComparison.Ordinal);
        Assert.Contains("keel.outcome=success", measurement, StringComparison.Ordinal);
        Assert.Single(telemetry.Spans);
    }

    [Fact]
    public void Describe_SeveralParameters_KeysOverAllOfThem()
    {
        var model = new OrderModel();

        model.Describe(new Order("ada", 10), 1);
        model.Describe(new Order("ada", 10), 1);
        model.Describe(new Order("ada", 10), 2);
        model.Describe(new Order("bob", 10), 1);

        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public void Describe_InvalidRecord_ReportsEveryDataAnnotationsViolationByPath()
    {
        var model = new OrderModel();

        var error = Assert.Throws<InputValidationException>(() => model.Describe(new Order(null!, 5000), 1));

        Assert.Equal(["order.Customer", "order.Amount"], error.Violations.Select(v => v.Parameter));
        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public async Task SendAsync_NoResult_RunsTheBody()
    {
        var model = new OrderModel();

        await model.SendAsync("hello", CancellationToken.None);

        Assert.Equal(["hello"], model.Sent);
    }

    [Fact]
    public void Record_VoidMethodWithRules_ValidatesThenRuns()
    {
        var model = new OrderModel();

        model.Record([1, 2]);
        var error = Assert.Throws<InputValidationException>(() => model.Record([1, 2, 3]));

        Assert.Equal(["1,2"], model.Sent);
        Assert.Equal("values", Assert.Single(error.Violations).Parameter);
    }

    [Fact]
    public async Task CountAsync_StaticMethod_RunsThroughTheStandalonePipeline()
    {
        Assert.Equal(5, await OrderModel.CountAsync("hello"));
    }

    [Fact]
    public async Task ScoreAsync_CallersToken_IsNotRetriedAndFlowsIn()
    {
        var model = new FraudModel();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        model.FailNext(new OperationCanceledException(cancelled.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.ScoreAsync([0.2f, 0.2f, 0.2f, 0.2f], cancelled.Token).AsTask());
        Assert.True(model.Calls <= 1);
    }

    [Fact]
    public void Attribute_Defaults_MatchTheOptionsDefaults()
    {
        // The generator writes only the values set on an attribute, so an attribute's defaults must be the options'.
        var retry = new RetryAttribute();
        var options = new RetryOptions();
        Assert.Equal(options.MaxAttempts, retry.MaxAttempts);
        Assert.Equal(options.BaseDelay.TotalSeconds, retry.BaseDelaySeconds);
        Assert.Equal(options.Factor, retry.Factor);
        Assert.Equal(options.MaxDelay.TotalSeconds, retry.MaxDelaySeconds);
        Assert.Equal(options.Jitter, retry.Jitter);
        var cache = new CacheResultAttribute();
        var cacheOptions = new Keel.Caching.CacheResultOptions();
        Assert.Equal(cacheOptions.TimeToLive.TotalSeconds, cache.TtlSeconds);
        Assert.Equal(cacheOptions.MaxEntries, cache.MaxEntries);
        var guard = new MemoryGuardAttribute();
        var guardOptions = new MemoryGuardOptions();
        Assert.Equal(guardOptions.MaxMemoryLoad, guard.MaxMemoryLoad);
        Assert.Equal(guardOptions.Action, guard.Action);
        Assert.Equal(guardOptions.MaxWait.TotalSeconds, guard.MaxWaitSeconds);
        Assert.Equal(guardOptions.RetryAfter.TotalSeconds, guard.RetryAfterSeconds);
        var monitor = new MonitorAttribute();
        var monitorOptions = new Keel.Monitoring.MonitorOptions();
        Assert.Equal(monitorOptions.RecordSizes, monitor.RecordSizes);
        Assert.Equal(monitorOptions.RecordPredictions, monitor.RecordPredictions);
    }
}
