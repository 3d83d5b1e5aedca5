using System.Diagnostics;
using System.Reflection;
using Keel.Generators.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Generators.Tests.Runtime;

/// <summary>
/// The generated call allocates nothing beyond the pipeline's own on the all-pass path: no closure, no boxing of the
/// arguments, no tuple on the heap. Proven here by the allocation counter of the current thread after a warm-up (as
/// Mediator's MemAllocationTests do), for both forms, next to the hand-built pipeline the generator writes; and in
/// bench/ by BenchmarkDotNet's memory diagnoser (GeneratedBenchmarks).
/// </summary>
public class AllocationTests
{
    private const int Calls = 1_000;

    private static object? s_sink;

    private static readonly float[] s_features = Enumerable.Range(0, AllocationModel.Elements).Select(static i => i / 128f).ToArray();

    [Fact]
    public void ScoreAsync_CacheHitThroughFiveDecorators_AllocatesNothingLikeTheHandBuiltPipeline()
    {
        var model = new AllocationModel();
        var handBuilt = AllocationModel.Pipelines.Score();

        var generated = MeasureAllocations(() => Completed(model.ScoreAsync(s_features)));
        var byHand = MeasureAllocations(() => Completed(handBuilt.ExecuteAsync(model, s_features)));

        Assert.Equal(0, generated);
        Assert.Equal(0, byHand);
        Assert.Equal(2, model.Calls); // one miss each, then hits
    }

    [Fact]
    public void ScoreAsync_CacheHitWithTheContainersPipelines_AllocatesNothing()
    {
        using var container = new TestContainer();
        var model = new AllocationModel(container.Pipelines);

        Assert.Equal(0, MeasureAllocations(() => Completed(model.ScoreAsync(s_features))));
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task AddAsync_RetryWithoutFailure_AllocatesNothingLikeTheHandBuiltPipeline()
    {
        var model = new AllocationModel();
        var handBuilt = AllocationModel.Pipelines.AddAsync();

        Assert.Equal(0, MeasureAllocations(() => Completed(model.AddAsync(1))));
        Assert.Equal(0, MeasureAllocations(() => Completed(handBuilt.ExecuteAsync(model, 1))));
        Assert.Equal(2, await model.AddAsync(1));
    }

    [Fact]
    public void Add_SyncMethodThroughMonitorAndRetry_AllocatesNothingLikeTheHandBuiltPipeline()
    {
        var model = new AllocationModel();
        var handBuilt = AllocationModel.Pipelines.Add();

        Assert.Equal(0, MeasureAllocations(() => model.Add(1) - 1));
        Assert.Equal(0, MeasureAllocations(() => handBuilt.Execute(model, 1) - 1));
    }

    [Fact]
    public void SendAsync_TaskWithoutResultCompletedSynchronously_AllocatesNothing()
    {
        var model = new AllocationModel();

        var allocated = MeasureAllocations(() =>
        {
            var pending = model.SendAsync(1, CancellationToken.None);
            Assert.True(pending.IsCompletedSuccessfully);
            return 1;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(2 * Calls, model.Calls);
    }

    [Fact]
    public void NotifyAsync_ValueTaskWithoutResultCompletedSynchronously_AllocatesNothing()
    {
        var model = new AllocationModel();

        var allocated = MeasureAllocations(() =>
        {
            var pending = model.NotifyAsync(1, CancellationToken.None);
            Assert.True(pending.IsCompletedSuccessfully);
            return 1;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(2 * Calls, model.Calls);
    }

    [Fact]
    public void Describe_SyncCacheHitOverARecordAndAnInt_AllocatesNothing()
    {
        var model = new AllocationModel();
        var customer = new Customer("ada", 10);

        Assert.Equal(0, MeasureAllocations(() => model.Describe(customer, 3).Length - 3 + 1));
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task Decorator_CacheHitRetryAndSyncCall_AllocateNothing()
    {
        var inner = new AllocationScorer();
        IAllocationScorer scorer = new AllocationScorerDecorator(inner);

        Assert.Equal(0, MeasureAllocations(() => Completed(scorer.ScoreAsync(s_features))));
        Assert.Equal(0, MeasureAllocations(() => Completed(scorer.AddAsync(1))));
        Assert.Equal(0, MeasureAllocations(() => scorer.Add(1) - 1));
        Assert.Equal(2, await scorer.AddAsync(1));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void Decorator_ResolvedWithAddKeelDecorated_AllocatesNothing()
    {
        using var container = new TestContainer(configure: static s => s.AddKeelDecorated<IAllocationScorer, AllocationScorer>());
        var scorer = container.Services.GetRequiredService<IAllocationScorer>();

        Assert.IsType<AllocationScorerDecorator>(scorer);
        Assert.Equal(0, MeasureAllocations(() => Completed(scorer.ScoreAsync(s_features))));
        Assert.Equal(0, MeasureAllocations(() => Completed(scorer.AddAsync(1))));
        Assert.Equal(0, MeasureAllocations(() => scorer.Add(1) - 1));
        Assert.Equal(1, container.Services.GetRequiredService<AllocationScorer>().Calls);
    }

    [Fact]
    public void MeasureAllocations_ACallThatAllocates_IsCounted()
    {
        // The counter is not vacuous: one object kept per call is seen (a kept object cannot live on the stack).
        var allocated = MeasureAllocations(static () =>
        {
            s_sink = new object();
            return 1;
        });

        Assert.True(allocated >= Calls * IntPtr.Size * 2, $"{allocated} bytes");
    }

    /// <summary>1 for a call that completed at once, as the all-pass path does (a hit, a first attempt that succeeds).</summary>
    private static int Completed<T>(ValueTask<T> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully);
        _ = pending.Result;
        return 1;
    }

    /// <summary>Bytes allocated by <see cref="Calls"/> calls after as many to warm up; each call must return 1.</summary>
    private static long MeasureAllocations(Func<int> call)
    {
        // A Debug build compiles async methods to classes, which allocate on every call: the claim is about optimized
        // code, the library's and the generated code in this assembly alike.
        foreach (var assembly in new[] { typeof(InferencePipeline).Assembly, typeof(AllocationTests).Assembly })
        {
            var debuggable = assembly.GetCustomAttribute<DebuggableAttribute>();
            Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, "Allocation tests measure optimized code: run them with 'dotnet test -c Release'.");
        }

        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += call(); // warm-up: JIT tiers, the context pool, the first call's cache miss
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            sum += call();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2 * Calls, sum);
        return allocated;
    }
}
