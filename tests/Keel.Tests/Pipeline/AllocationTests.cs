using System.Diagnostics;
using System.Reflection;
using Keel.Caching;
using Keel.MemoryGuard;
using Keel.Monitoring;
using Keel.Retry;
using Keel.Tests.MemoryGuard;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Keel.Tests.Pipeline;

/// <summary>
/// The all-pass path allocates nothing: proven here by the allocation counter of the current thread, and in
/// bench/ by BenchmarkDotNet's memory diagnoser.
/// </summary>
/// <remarks>
/// In the collection of the tests that listen to Keel's activity source, so that no span listener of another test is
/// active while these measure.
/// </remarks>
[Collection(KeelActivitySourceCollection.Name)]
public class AllocationTests
{
    private const int Calls = 1_000;

    [Fact]
    public void ExecuteAsync_CompletedSynchronouslyThroughRetry_AllocatesNothing()
    {
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions())
            .Build(static (x, _) => new ValueTask<int>(x + 1));

        var allocated = MeasureAllocations(() =>
        {
            var pending = pipeline.ExecuteAsync(1);
            Assert.True(pending.IsCompletedSuccessfully);
            return pending.Result;
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Execute_SyncModelThroughRetry_AllocatesNothing()
    {
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions())
            .Build(static (x, _) => x + 1);

        Assert.Equal(0, MeasureAllocations(() => pipeline.Execute(1)));
    }

    [Fact]
    public void ExecuteAsync_ThroughPollyPipelineAndRetry_AllocatesNothing()
    {
        var polly = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(5)).Build();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions())
            .UseResilience(polly)
            .Build(static (x, _) => new ValueTask<int>(x + 1));

        Assert.Equal(0, MeasureAllocations(() => pipeline.ExecuteAsync(1).Result));
    }

    [Fact]
    public async Task ExecuteAsync_InMemoryCacheHitForFloat64_AllocatesNothing()
    {
        var features = Enumerable.Range(0, 64).Select(static i => i / 64f).ToArray();
        var pipeline = InferencePipeline.For<float[], float>("fraud", "3.2.0")
            .UseCacheResult(new CacheResultOptions())
            .Build(static (x, _) => new ValueTask<float>(x.Length / 32f));
        Assert.Equal(2f, await pipeline.ExecuteAsync(features));

        var allocated = MeasureAllocations(() =>
        {
            var pending = pipeline.ExecuteAsync(features);
            Assert.True(pending.IsCompletedSuccessfully);
            return (int)pending.Result;
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ExecuteAsync_ValidationPassesForFloat64_AllocatesNothing()
    {
        var features = Enumerable.Range(0, 64).Select(static i => i / 64f).ToArray();
        var pipeline = InferencePipeline.For<float[], float>("fraud", "3.2.0")
            .UseValidateInput("features", static v => v.Shape(64).Finite().Within(0, 1).NotEmpty().MaxElements(1_000))
            .Build(static (x, _) => new ValueTask<float>(x.Length / 32f));

        var allocated = MeasureAllocations(() =>
        {
            var pending = pipeline.ExecuteAsync(features);
            Assert.True(pending.IsCompletedSuccessfully);
            return (int)pending.Result;
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ExecuteAsync_ThroughMemoryGuardWithAndWithoutAnEstimate_AllocatesNothing()
    {
        using var sampler = HalfFullSampler();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions(), sampler)
            .UseMemoryGuard(new MemoryGuardOptions { EstimatedBytes = 1024 }, sampler)
            .UseRetry(new RetryOptions())
            .Build(static (x, _) => new ValueTask<int>(x + 1));

        var allocated = MeasureAllocations(() =>
        {
            var pending = pipeline.ExecuteAsync(1);
            Assert.True(pending.IsCompletedSuccessfully);
            return pending.Result;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(0, sampler.ReservedBytes);
    }

    [Fact]
    public void Execute_SyncModelThroughMemoryGuard_AllocatesNothing()
    {
        using var sampler = HalfFullSampler();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions(), sampler)
            .Build(static (x, _) => x + 1);

        Assert.Equal(0, MeasureAllocations(() => pipeline.Execute(1)));
    }

    [Fact]
    public void ExecuteAsync_MonitorCacheAndRetryWithNoListener_AllocatesNothing()
    {
        var features = Enumerable.Range(0, 64).Select(static i => i / 64f).ToArray();
        var pipeline = InferencePipeline.For<float[], float>("fraud-monitored", "3.2.0")
            .UseMonitor(new MonitorOptions { RecordPredictions = true })
            .UseCacheResult(new CacheResultOptions())
            .UseRetry(new RetryOptions())
            .Build(static (x, _) => new ValueTask<float>(x.Length / 32f));

        var allocated = MeasureAllocations(() =>
        {
            var pending = pipeline.ExecuteAsync(features);
            Assert.True(pending.IsCompletedSuccessfully);
            return (int)pending.Result;
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ExecuteAsync_MonitorWithMeterListener_AllocatesNothing()
    {
        using var meters = new TestMeterFactory();
        using var services = new ServiceCollection()
            .AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters)
            .AddKeel().Services.BuildServiceProvider();
        using var recorder = new CountingListener(meters);
        var pipeline = services.GetRequiredService<InferencePipelineFactory>()
            .For<float[], float>("fraud-listened", "3.2.0")
            .UseMonitor(o => o.RecordSizes = true)
            .Build(static (x, _) => new ValueTask<float>(x.Length / 32f));
        var features = new float[64];

        var allocated = MeasureAllocations(() => (int)pipeline.ExecuteAsync(features).Result);

        Assert.Equal(0, allocated);
        Assert.True(recorder.Count >= 3 * 2 * Calls);
    }

    [Fact]
    public void ExecuteAsync_StatePassingThroughFiveDecoratorsOnACacheHit_AllocatesNothing()
    {
        using var sampler = HalfFullSampler();
        var pipeline = InferencePipeline.For<float[], float>("fraud-stateful", "3.2.0")
            .UseMonitor()
            .UseValidateInput("features", static v => v.Shape(64).Finite().Within(0, 1))
            .UseCacheResult()
            .UseMemoryGuard(new MemoryGuardOptions(), sampler)
            .UseRetry(new RetryOptions())
            .Build<Scorer>(static (scorer, x, _) => new ValueTask<float>(scorer.Score(x)));
        var scorer = new Scorer();
        var features = new float[64];

        var allocated = MeasureAllocations(() => (int)pipeline.ExecuteAsync(scorer, features).Result / 32);

        Assert.Equal(0, allocated);
        Assert.Equal(1, scorer.Calls);
    }

    private sealed class Scorer
    {
        public int Calls { get; private set; }

        public float Score(float[] features)
        {
            Calls++;
            return features.Length;
        }
    }

    private static long MeasureAllocations(Func<int> call)
    {
        // A Debug build compiles async methods to classes, which allocate on every call: the claim is about the
        // library as shipped, so these tests refuse to measure anything else.
        var debuggable = typeof(InferencePipeline).Assembly.GetCustomAttribute<DebuggableAttribute>();
        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, "Allocation tests measure the optimized library: run them with 'dotnet test -c Release'.");

        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += call(); // warm-up: JIT tiers, the context pool
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            sum += call();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Calls * 2 * 2, sum);
        return allocated;
    }

    /// <summary>A meter listener that only counts, so that the listener itself allocates nothing per measurement.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _count;

        public CountingListener(System.Diagnostics.Metrics.IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
            _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _count));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A sampler over a fake source at 50 % load: the all-pass path is measured whatever the host's memory.</summary>
    private static MemorySampler HalfFullSampler() =>
        new FakeMemorySource(10 * FakeMemorySource.GB, 5 * FakeMemorySource.GB).CreateSampler(new FakeTimeProvider());
}
