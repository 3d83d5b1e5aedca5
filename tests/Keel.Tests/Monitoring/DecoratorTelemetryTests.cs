using System.Diagnostics.Metrics;
using Keel.Caching;
using Keel.MemoryGuard;
using Keel.Monitoring;
using Keel.Tests.MemoryGuard;
using Keel.Tests.TestSupport;
using Keel.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Monitoring;

/// <summary>The memory guard, drift watching and the cache report through the container's instruments.</summary>
[Collection(KeelActivitySourceCollection.Name)]
public sealed class DecoratorTelemetryTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly FakeMemorySource _memory = new(limitBytes: 10 * FakeMemorySource.GB, usedBytes: 5 * FakeMemorySource.GB);
    private readonly ServiceProvider _services;
    private readonly MetricRecorder _metrics;
    private readonly string _model = "telemetry-" + Guid.NewGuid().ToString("N")[..8];

    public DecoratorTelemetryTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(_meters);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddKeel().ConfigureMemorySampler(o =>
        {
            o.UseBuiltInSources = false;
            o.Sources.Add(_memory);
        });
        _services = services.BuildServiceProvider();
        _metrics = new MetricRecorder(_meters);
    }

    [Fact]
    public async Task MemoryGuard_Rejection_CountedWithItsActionAndTheLoadGaugeFollowsTheSampler()
    {
        var sampler = _services.GetRequiredService<MemorySampler>();
        _memory.UsedBytes = (long)(9.5 * FakeMemorySource.GB);
        sampler.SampleNow();
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<int, int>(_model, "1")
            .UseMemoryGuard(new MemoryGuardOptions { MaxMemoryLoad = 0.9, Action = MemoryGuardAction.Reject })
            .Build(static (x, _) => x);

        await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());

        var rejection = _metrics.Single(KeelDiagnostics.MemoryRejections);
        Assert.Equal("reject", rejection.Tags[KeelTags.MemoryAction]);
        Assert.Equal(_model, rejection.Tags[KeelTags.Model]);
        Assert.Equal(0.95, _metrics.Of(KeelDiagnostics.MemoryLoad)[^1].Value);
    }

    [Fact]
    public async Task Drift_Evaluation_SetsTheGaugeOfEveryFeatureForThePipelinesModel()
    {
        var monitor = new DriftMonitor(
            DriftProfile.Fit(Validation.ValidationDecoratorTests.Uniform(seed: 1, count: 1_000, low: 0, high: 1)),
            new DriftMonitorOptions { WindowSize = 100, MinimumSamples = 100, EvaluationInterval = 100 });
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<float[], int>(_model, "2")
            .UseValidateInput("features", v => v.Drift(monitor, AnomalyAction.Observe))
            .Build(static (f, _) => f.Length);

        foreach (var row in Validation.ValidationDecoratorTests.Uniform(seed: 2, count: 100, low: 5, high: 6))
        {
            await pipeline.ExecuteAsync(row);
        }

        var gauges = _metrics.Of(KeelDiagnostics.InputDrift);
        Assert.Equal(["f0", "f1"], gauges.Select(static g => g.Tags[KeelTags.Feature]));
        Assert.All(gauges, g =>
        {
            Assert.True(g.Value > 0.25, $"PSI {g.Value} of a shifted feature should be major.");
            Assert.Equal(("2", _model), (g.Tags[KeelTags.ModelVersion], g.Tags[KeelTags.Model]));
        });
    }

    [Fact]
    public async Task Cache_HitsAndMisses_CountedByResultAndLevel()
    {
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<float[], float>(_model, "3")
            .UseCacheResult(new CacheResultOptions())
            .Build(static (f, _) => f[0]);

        await pipeline.ExecuteAsync([1f]);
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(
            ["hit/memory=1", "miss/memory=1"],
            _metrics.Of(KeelDiagnostics.CacheLookups).Select(static m => $"{m.Tags[KeelTags.CacheResult]}/{m.Tags[KeelTags.CacheLevel]}={m.Value}").Order());
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        _meters.Dispose();
    }
}
