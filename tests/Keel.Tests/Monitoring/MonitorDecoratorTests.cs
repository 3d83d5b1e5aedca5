using System.Diagnostics;
using System.Diagnostics.Metrics;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Monitoring;

[Collection(KeelActivitySourceCollection.Name)]
public sealed class MonitorDecoratorTests : IDisposable
{
    private static readonly TimeSpan ModelTime = TimeSpan.FromMilliseconds(250);
    private readonly TestMeterFactory _meters = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ListLoggerFactory _logs = new(LogLevel.Debug);
    private readonly ServiceProvider _services;
    private readonly MetricRecorder _metrics;
    private readonly string _model = "monitor-" + Guid.NewGuid().ToString("N")[..8];

    public MonitorDecoratorTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(_meters);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ILoggerFactory>(_logs);
        services.AddKeel();
        _services = services.BuildServiceProvider();
        _metrics = new MetricRecorder(_meters);
    }

    [Fact]
    public async Task ExecuteAsync_Success_RecordsDurationInSecondsWithModelVersionOperationAndOutcome()
    {
        var pipeline = CreateSut().Build(TakesModelTime);

        Assert.Equal(3f, await pipeline.ExecuteAsync([1f, 1f, 1f]));

        var duration = _metrics.Single(KeelDiagnostics.InferenceDuration);
        Assert.Equal("s", duration.Unit);
        Assert.Equal(0.25, duration.Value, 9);
        Assert.Equal(CallTags(KeelOutcomes.Success), duration.Tags);
    }

    [Fact]
    public async Task ExecuteAsync_Success_RecordsInputAndOutputSizesInElementsWithoutOutcome()
    {
        var pipeline = CreateSut(new MonitorOptions { RecordSizes = true }).Build(TakesModelTime);

        await pipeline.ExecuteAsync(new float[64]);

        var input = _metrics.Single(KeelDiagnostics.InputSize);
        var output = _metrics.Single(KeelDiagnostics.OutputSize);
        Assert.Equal(("{element}", 64.0), (input.Unit, input.Value));
        Assert.Equal(("{element}", 1.0), (output.Unit, output.Value));
        Assert.Equal(CallTags(), input.Tags);
        Assert.Equal(CallTags(), output.Tags);
    }

    [Fact]
    public async Task ExecuteAsync_ModelThrows_RethrowsSameInstanceAndRecordsErrorWithErrorType()
    {
        var failure = new TimeoutException("feature store timed out");
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync([1f]).AsTask());

        Assert.Same(failure, thrown);
        var duration = _metrics.Single(KeelDiagnostics.InferenceDuration);
        Assert.Equal(CallTags(KeelOutcomes.Error, "System.TimeoutException"), duration.Tags);
        Assert.Empty(_metrics.Of(KeelDiagnostics.OutputSize));
    }

    [Fact]
    public void Execute_SyncModelThrows_RethrowsSameInstanceWithItsStackTrace()
    {
        var failure = new InvalidOperationException("model not loaded");
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => (float)(object)ThrowSync(failure));

        var thrown = Assert.Throws<InvalidOperationException>(() => pipeline.Execute([1f]));

        Assert.Same(failure, thrown);
        Assert.Contains(nameof(Execute_SyncModelThrows_RethrowsSameInstanceWithItsStackTrace), thrown.StackTrace, StringComparison.Ordinal);
        Assert.Equal(CallTags(KeelOutcomes.Error, "System.InvalidOperationException"), _metrics.Single(KeelDiagnostics.InferenceDuration).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_InputValidationException_RecordsInvalid()
    {
        var failure = new InputValidationException([new InputViolation("features", "Shape", "[64]", "[3]")]);
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        Assert.Same(failure, await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([1f]).AsTask()));

        Assert.Equal(CallTags(KeelOutcomes.Invalid, "Keel.InputValidationException"), _metrics.Single(KeelDiagnostics.InferenceDuration).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_MemoryPressureException_RecordsRejected()
    {
        var failure = new MemoryPressureException(0.95, 0.9, TimeSpan.FromSeconds(2));
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        Assert.Same(failure, await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync([1f]).AsTask()));

        Assert.Equal(CallTags(KeelOutcomes.Rejected, "Keel.MemoryPressureException"), _metrics.Single(KeelDiagnostics.InferenceDuration).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_SecondIdenticalCallThroughCache_RecordsCacheHitAndLookups()
    {
        var pipeline = CreateSut().UseCacheResult(new CacheResultOptions()).Build(TakesModelTime);

        await pipeline.ExecuteAsync([1f, 2f]);
        await pipeline.ExecuteAsync([1f, 2f]);

        var outcomes = _metrics.Of(KeelDiagnostics.InferenceDuration).Select(m => m.Tags[KeelTags.Outcome]).ToArray();
        Assert.Equal([KeelOutcomes.Success, KeelOutcomes.CacheHit], outcomes);
        var lookups = _metrics.Of(KeelDiagnostics.CacheLookups);
        Assert.Equal(["hit=1", "miss=1"], lookups.Select(m => $"{m.Tags[KeelTags.CacheResult]}={m.Value}").Order().ToArray());
        Assert.All(lookups, m => Assert.Equal("{lookup}", m.Unit));
        Assert.All(lookups, m => Assert.Equal(
            new Dictionary<string, object?>(CallTags()) { [KeelTags.CacheResult] = m.Tags[KeelTags.CacheResult], [KeelTags.CacheLevel] = "memory" },
            m.Tags));
    }

    [Fact]
    public async Task ExecuteAsync_InputBreaksValidationRules_CountsEachViolationAndRecordsInvalid()
    {
        var pipeline = CreateSut().UseValidateInput(v => v.Shape(3).Finite()).Build(TakesModelTime);

        await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([float.NaN, 1f]).AsTask());

        var violations = _metrics.Of(KeelDiagnostics.ValidationViolations);
        Assert.Equal(["finite", "shape"], violations.Select(m => (string)m.Tags[KeelTags.ValidationRule]!).Order().ToArray());
        Assert.All(violations, m => Assert.Equal(("block", "{violation}", "predict"), ((string)m.Tags[KeelTags.ValidationAction]!, m.Unit, (string)m.Tags[KeelTags.Operation]!)));
        Assert.Equal(CallTags(KeelOutcomes.Invalid, "Keel.InputValidationException"), _metrics.Single(KeelDiagnostics.InferenceDuration).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_TransientFailureRetried_CountsOneRetryWithProfile()
    {
        var model = new FlakyModel(new TransientException("busy"));
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<int, int>(_model, "2.0")
            .UseMonitor()
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(1) })
            .Build(model.InvokeAsync);

        Assert.Equal(2, await pipeline.ExecuteAsync(1));

        var retry = _metrics.Single(KeelDiagnostics.RetryAttempts);
        Assert.Equal("{retry}", retry.Unit);
        Assert.Equal(new Dictionary<string, object?>(CallTags(version: "2.0")) { [KeelTags.RetryProfile] = "(code)" }, retry.Tags);
        Assert.Equal(KeelOutcomes.Success, _metrics.Single(KeelDiagnostics.InferenceDuration).Tags[KeelTags.Outcome]);
    }

    [Fact]
    public async Task ExecuteAsync_RetryBudgetSpent_CountsBudgetExhaustedAndRethrows()
    {
        var failure = new TransientException("down");
        var model = FlakyModel.AlwaysFailing(() => failure);
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<int, int>(_model, "2.0")
            .UseMonitor()
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(1), Budget = new RetryBudgetOptions { MaxTokens = 1 } })
            .Build(model.InvokeAsync);

        Assert.Same(failure, await Assert.ThrowsAsync<TransientException>(() => pipeline.ExecuteAsync(1).AsTask()));

        var exhausted = _metrics.Single(KeelDiagnostics.RetryBudgetExhausted);
        Assert.Equal(new Dictionary<string, object?>(CallTags(version: "2.0")) { [KeelTags.RetryProfile] = "(code)" }, exhausted.Tags);
        Assert.Equal(CallTags(KeelOutcomes.Error, "Keel.TransientException", "2.0"), _metrics.Single(KeelDiagnostics.InferenceDuration).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_RecordPredictions_RecordsScalarResultInPredictionHistogram()
    {
        var pipeline = CreateSut(new MonitorOptions { RecordPredictions = true, PredictionBuckets = [0, 0.5, 1] })
            .Build((float[] x, CancellationToken _) => new ValueTask<float>(x[0]));

        await pipeline.ExecuteAsync([0.75f]);

        var prediction = _metrics.Single(KeelDiagnostics.Prediction);
        Assert.Equal(0.75, prediction.Value, 6);
        Assert.Equal(CallTags(), prediction.Tags);
    }

    [Fact]
    public void Build_RecordPredictionsForArrayResult_ThrowsWithMessage()
    {
        var builder = InferencePipeline.For<float[], float[]>(_model, "1.0").UseMonitor(o => o.RecordPredictions = true);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (x, _) => new ValueTask<float[]>(x)));

        Assert.Equal(
            "Keel:Monitor:Default:RecordPredictions needs a numeric scalar result (float, double, Half, decimal or an integer type), but the result type is System.Single[].",
            Assert.Single(exception.Failures));
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5 }, "MonitorOptions:PredictionBuckets must be finite numbers in strictly increasing order, but was [0.5, 0.5].")]
    [InlineData(new[] { 1.0, double.NaN }, "MonitorOptions:PredictionBuckets must be finite numbers in strictly increasing order, but was [1, NaN].")]
    [InlineData(new double[0], "MonitorOptions:PredictionBuckets must hold between 1 and 50 boundaries, but held 0.")]
    public void Build_InvalidPredictionBuckets_ThrowsWithMessage(double[] buckets, string message)
    {
        var builder = InferencePipeline.For<float[], float>(_model, "1.0")
            .UseMonitor(new MonitorOptions { RecordPredictions = true, PredictionBuckets = buckets });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (x, _) => new ValueTask<float>(x[0])));

        Assert.Equal(message, Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task ExecuteAsync_TenThousandDistinctInputs_CreateNoNewSeries()
    {
        var pipeline = CreateSut(new MonitorOptions { RecordSizes = true, RecordPredictions = true, PredictionBuckets = [0, 1000, 100_000] })
            .UseCacheResult(new CacheResultOptions())
            .Build((float[] x, CancellationToken _) => new ValueTask<float>(x.Sum()));
        await pipeline.ExecuteAsync([0f]);
        await pipeline.ExecuteAsync([0f]);
        var seriesAfterWarmUp = _metrics.Measurements.Select(m => m.Series).ToHashSet();

        for (var i = 1; i <= 10_000; i++)
        {
            var input = new float[1 + (i % 97)];
            input[0] = i;
            await pipeline.ExecuteAsync(input);
        }

        Assert.True(_metrics.Measurements.Count > 40_000);
        Assert.Equal(seriesAfterWarmUp.Order(), _metrics.Measurements.Select(m => m.Series).ToHashSet().Order());
    }

    [Fact]
    public void Instruments_EveryInstrument_HasUnitAndDescription()
    {
        var instruments = _services.GetRequiredService<KeelInstruments>();
        instruments.GetPredictionHistogram([0, 1]);
        string[] names =
        [
            KeelDiagnostics.InferenceDuration, KeelDiagnostics.InputSize, KeelDiagnostics.OutputSize, KeelDiagnostics.CacheLookups,
            KeelDiagnostics.RetryAttempts, KeelDiagnostics.RetryBudgetExhausted, KeelDiagnostics.ValidationViolations,
            KeelDiagnostics.InputDrift, KeelDiagnostics.MemoryLoad, KeelDiagnostics.MemoryRejections, KeelDiagnostics.Prediction,
        ];

        foreach (var name in names)
        {
            var instrument = _metrics.Instrument(name);
            Assert.Equal(KeelDiagnostics.MeterName, instrument.Meter.Name);
            Assert.False(string.IsNullOrWhiteSpace(instrument.Description), name);
            if (name != KeelDiagnostics.Prediction)
            {
                Assert.False(string.IsNullOrWhiteSpace(instrument.Unit), name);
            }
        }
    }

    [Fact]
    public void Record_ValidationDriftAndMemory_CarryTheirTags()
    {
        var instruments = _services.GetRequiredService<KeelInstruments>();

        instruments.RecordValidationViolation(_model, "1.0", "predict", "Within", "warn");
        instruments.RecordInputDrift(_model, "1.0", "amount", 0.27);
        instruments.RecordMemoryLoad(0.81);
        instruments.RecordMemoryRejection(_model, "1.0", "predict", "wait");

        Assert.Equal(
            new Dictionary<string, object?>(CallTags(version: "1.0")) { [KeelTags.ValidationRule] = "Within", [KeelTags.ValidationAction] = "warn" },
            _metrics.Single(KeelDiagnostics.ValidationViolations).Tags);
        var drift = _metrics.Single(KeelDiagnostics.InputDrift);
        Assert.Equal((0.27, "1"), (drift.Value, drift.Unit));
        Assert.Equal(new Dictionary<string, object?> { [KeelTags.Model] = _model, [KeelTags.ModelVersion] = "1.0", [KeelTags.Feature] = "amount" }, drift.Tags);
        var load = _metrics.Single(KeelDiagnostics.MemoryLoad);
        Assert.Equal((0.81, 0), (load.Value, load.Tags.Count));
        Assert.Equal(new Dictionary<string, object?>(CallTags(version: "1.0")) { [KeelTags.MemoryAction] = "wait" }, _metrics.Single(KeelDiagnostics.MemoryRejections).Tags);
    }

    [Fact]
    public async Task ExecuteAsync_Success_SpanCarriesModelShapesSizesAndCacheResult()
    {
        using var spans = new SpanRecorder(_model);
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<float[,], float[]>(_model, "2.0")
            .UseMonitor()
            .UseCacheResult(new CacheResultOptions())
            .Build(static (x, _) => new ValueTask<float[]>(new float[x.GetLength(0)]));

        await pipeline.ExecuteAsync(new float[2, 3]);
        await pipeline.ExecuteAsync(new float[2, 3]);

        var all = spans.Spans;
        Assert.Equal(2, all.Count);
        var first = all[0];
        Assert.Equal($"predict {_model}", first.DisplayName);
        Assert.Equal(ActivityKind.Internal, first.Kind);
        Assert.Equal("2.0", first.GetTagItem(KeelTags.ModelVersion));
        Assert.Equal("predict", first.GetTagItem(KeelTags.Operation));
        Assert.Equal("float[2,3]", first.GetTagItem(KeelTags.InputShape));
        Assert.Equal(6L, first.GetTagItem(KeelTags.InputSize));
        Assert.Equal("float[2]", first.GetTagItem(KeelTags.OutputShape));
        Assert.Equal(KeelOutcomes.Success, first.GetTagItem(KeelTags.Outcome));
        Assert.Equal("miss", first.GetTagItem(KeelTags.CacheResult));
        Assert.Equal(1, first.GetTagItem(KeelTags.Attempts));
        Assert.Equal(("hit", KeelOutcomes.CacheHit), (all[1].GetTagItem(KeelTags.CacheResult), all[1].GetTagItem(KeelTags.Outcome)));
    }

    [Fact]
    public async Task ExecuteAsync_Retried_SpanCarriesAttemptCount()
    {
        using var spans = new SpanRecorder(_model);
        var model = new FlakyModel(new TransientException("busy"), new TransientException("busy"));
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<int, int>(_model, "2.0")
            .UseMonitor()
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(1) })
            .Build(model.InvokeAsync);

        await pipeline.ExecuteAsync(1);

        Assert.Equal(3, Assert.Single(spans.Spans).GetTagItem(KeelTags.Attempts));
        Assert.Equal(2, _metrics.Of(KeelDiagnostics.RetryAttempts).Count);
    }

    [Fact]
    public async Task ExecuteAsync_ModelThrows_SpanRecordsExceptionAndErrorStatus()
    {
        using var spans = new SpanRecorder(_model);
        var failure = new TimeoutException("feature store timed out");
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        Assert.Same(failure, await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync([1f]).AsTask()));

        var span = Assert.Single(spans.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("feature store timed out", span.StatusDescription);
        Assert.Equal(KeelOutcomes.Error, span.GetTagItem(KeelTags.Outcome));
        Assert.Equal("System.TimeoutException", span.GetTagItem(KeelTags.ErrorType));
        var exceptionEvent = Assert.Single(span.Events);
        Assert.Equal("exception", exceptionEvent.Name);
        Assert.Contains(exceptionEvent.Tags, t => t.Key == "exception.type" && Equals(t.Value, "System.TimeoutException"));
        Assert.Contains(exceptionEvent.Tags, t => t.Key == "exception.message" && Equals(t.Value, "feature store timed out"));
    }

    [Fact]
    public async Task ExecuteAsync_Success_LogsOneDebugLineWithoutInputValues()
    {
        var pipeline = CreateSut().Build(TakesModelTime);

        await pipeline.ExecuteAsync([0.125f, 0.5f]);

        var entry = Assert.Single(_logs.Entries, e => e.Category == "Keel.Monitoring");
        Assert.Equal((LogLevel.Debug, 4000, "InferenceCompleted"), (entry.Level, entry.EventId.Id, entry.EventId.Name));
        Assert.Equal($"{_model} 1.0 (predict) answered in 250 ms: success, input float[2], output float, 1 attempt(s).", entry.Message);
        Assert.DoesNotContain("0.125", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ModelThrows_LogsWarningWithModelVersionOperationAndException()
    {
        var failure = new TimeoutException("feature store timed out");
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync([1f]).AsTask());

        var entry = Assert.Single(_logs.Entries, e => e.Category == "Keel.Monitoring");
        Assert.Equal((LogLevel.Warning, 4001), (entry.Level, entry.EventId.Id));
        Assert.Same(failure, entry.Exception);
        Assert.Equal((_model, "1.0", "predict"), (entry.State["ModelName"], entry.State["ModelVersion"], entry.State["OperationName"]));
        Assert.Equal("System.TimeoutException", entry.State["ErrorType"]);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidInput_LogsInformationNotWarning()
    {
        var failure = new InputValidationException([new InputViolation("features", "Finite", "finite", "NaN")]);
        var pipeline = CreateSut().Build((float[] _, CancellationToken _) => Fail(failure));

        await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([1f]).AsTask());

        var entry = Assert.Single(_logs.Entries, e => e.Category == "Keel.Monitoring");
        Assert.Equal((LogLevel.Information, 4002, KeelOutcomes.Invalid), (entry.Level, entry.EventId.Id, entry.State["Outcome"]));
    }

    [Fact]
    public async Task ExecuteAsync_TraceEnabled_LogsInputValuesAtTraceOnly()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var pipeline = InferencePipeline.For<float[], float>(_model, "1.0").WithLoggerFactory(logs).WithTimeProvider(_time)
            .UseMonitor()
            .Build(TakesModelTime);

        await pipeline.ExecuteAsync([0.125f, 0.5f]);

        var input = Assert.Single(logs.Entries, e => e.Message.Contains("0.125", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Trace, 4004), (input.Level, input.EventId.Id));
        Assert.Equal($"{_model} 1.0 (predict) called with [0.125, 0.5].", input.Message);
        Assert.Equal(2, logs.Entries.Count);
    }

    [Fact]
    public void Decorators_UseMonitor_IsListedAsMonitor()
    {
        var pipeline = CreateSut().Build(TakesModelTime);

        Assert.Equal(["Monitor"], pipeline.Decorators);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        _meters.Dispose();
    }

    private static object ThrowSync(Exception failure) => throw failure;

    private static ValueTask<float> Fail(Exception failure) => ValueTask.FromException<float>(failure);

    private InferencePipelineBuilder<float[], float> CreateSut(MonitorOptions? options = null) =>
        _services.GetRequiredService<InferencePipelineFactory>().For<float[], float>(_model, "1.0").UseMonitor(options ?? new MonitorOptions());

    private ValueTask<float> TakesModelTime(float[] features, CancellationToken cancellationToken)
    {
        _time.Advance(ModelTime);
        return new ValueTask<float>(features.Sum());
    }

    private Dictionary<string, object?> CallTags(string? outcome = null, string? errorType = null, string version = "1.0")
    {
        var tags = new Dictionary<string, object?> { [KeelTags.Model] = _model, [KeelTags.ModelVersion] = version, [KeelTags.Operation] = "predict" };
        if (outcome is not null)
        {
            tags[KeelTags.Outcome] = outcome;
        }

        if (errorType is not null)
        {
            tags[KeelTags.ErrorType] = errorType;
        }

        return tags;
    }
}
