using Keel.Caching;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Caching;

public class CacheDecoratorTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly CountingModel _model = new();

    [Fact]
    public async Task ExecuteAsync_SameInputTwice_CallsModelOnce()
    {
        var pipeline = CreateSut();

        var first = await pipeline.ExecuteAsync([0.1f, 0.2f]);
        var second = await pipeline.ExecuteAsync([0.1f, 0.2f]);

        Assert.Equal((1, first), (_model.Calls, second));
    }

    [Fact]
    public async Task ExecuteAsync_DifferentInputs_CallsModelForEach()
    {
        var pipeline = CreateSut();

        Assert.Equal(0.3f, await pipeline.ExecuteAsync([0.1f, 0.2f]), 5);
        Assert.Equal(0.5f, await pipeline.ExecuteAsync([0.2f, 0.3f]), 5);
        Assert.Equal(0.1f, await pipeline.ExecuteAsync([0.1f]), 5);

        Assert.Equal(3, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_JustBeforeTimeToLive_ServesCachedResult()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(30) });
        await pipeline.ExecuteAsync([1f]);

        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(1, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_AfterTimeToLive_CallsModelAgain()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(30) });
        await pipeline.ExecuteAsync([1f]);

        _time.Advance(TimeSpan.FromSeconds(30));
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ModelThrows_FailureIsNotCached()
    {
        var pipeline = CreateSut();
        _model.Failure = static () => new InvalidOperationException("model down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync([1f]).AsTask());
        _model.Failure = null;
        var result = await pipeline.ExecuteAsync([1f]);

        Assert.Equal((2, 1f), (_model.Calls, result));
    }

    [Fact]
    public async Task ExecuteAsync_HundredIdenticalMissesInFlight_CallsModelOnce()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;
        var pipeline = CreateSut();

        // Every call starts before the first one is answered: the first calls the model, the others wait for it.
        var calls = Enumerable.Range(0, 100).Select(_ => pipeline.ExecuteAsync([0.5f, 0.25f]).AsTask()).ToList();
        Assert.All(calls, static call => Assert.False(call.IsCompleted));
        gate.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(WaitLimit);

        Assert.Equal(1, _model.Calls);
        Assert.All(results, static result => Assert.Equal(0.75f, result));
    }

    [Fact]
    public async Task ExecuteAsync_HundredIdenticalCallsFromThreadPool_CallsModelOnce()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;
        var pipeline = CreateSut();
        var started = new CountdownEvent(100);

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            started.Signal();
            return await pipeline.ExecuteAsync([0.5f, 0.25f]);
        })).ToList();
        Assert.True(started.Wait(WaitLimit));
        gate.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(WaitLimit);

        // A call that arrives after the model answered finds the entry; one that arrives before waits for the flight.
        Assert.Equal(1, _model.Calls);
        Assert.All(results, static result => Assert.Equal(0.75f, result));
    }

    [Fact]
    public async Task ExecuteAsync_LeaderFails_EveryWaiterSeesTheFailureAndNothingIsCached()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;
        var failure = new InvalidOperationException("model down");
        _model.Failure = () => failure;
        var pipeline = CreateSut();

        var calls = Enumerable.Range(0, 100).Select(_ => pipeline.ExecuteAsync([2f]).AsTask()).ToList();
        gate.SetResult();
        await Task.WhenAll(calls.Select(static call => call.ContinueWith(static _ => { }, TaskScheduler.Default))).WaitAsync(WaitLimit);

        Assert.All(calls, call => Assert.Same(failure, call.Exception!.InnerException));
        Assert.Equal(1, _model.Calls);

        _model.Gate = null;
        _model.Failure = null;
        Assert.Equal(2f, await pipeline.ExecuteAsync([2f]));
        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_LeadersCallerCancels_WaiterCallsTheModelItself()
    {
        var pipeline = CreateSut();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;
        using var leaderCancellation = new CancellationTokenSource();

        var leader = pipeline.ExecuteAsync([3f], leaderCancellation.Token).AsTask();
        var waiter = pipeline.ExecuteAsync([3f]).AsTask();
        _model.Gate = null;
        await leaderCancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader.WaitAsync(WaitLimit));
        Assert.Equal(3f, await waiter.WaitAsync(WaitLimit));
        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_WaitersCallerCancels_OnlyThatWaiterStops()
    {
        var pipeline = CreateSut();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;
        using var waiterCancellation = new CancellationTokenSource();

        var leader = pipeline.ExecuteAsync([4f]).AsTask();
        var waiter = pipeline.ExecuteAsync([4f], waiterCancellation.Token).AsTask();
        await waiterCancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(WaitLimit));
        gate.SetResult();

        Assert.Equal(4f, await leader.WaitAsync(WaitLimit));
        Assert.Equal(1, _model.Calls);
    }

    [Fact]
    public async Task InvokeAsync_EveryHashCollides_NeverReturnsAnotherInputsResult()
    {
        var handler = CreateCollidingHandler();
        float[][] inputs = [[1f], [2f], [1f, 1f], [3f], [1f], [2f]];
        Assert.Equal(CacheKeys.Hash(new CollidingDescriptor(), [1f]), CacheKeys.Hash(new CollidingDescriptor(), [2f]));

        foreach (var input in inputs)
        {
            Assert.Equal(input.Sum(), await InvokeAsync(handler, input));
        }
    }

    [Fact]
    public async Task InvokeAsync_CollidingInputInFlight_CallsModelForItInsteadOfWaiting()
    {
        var handler = CreateCollidingHandler();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Gate = gate.Task;

        var first = InvokeAsync(handler, [1f]).AsTask();
        _model.Gate = null;
        var second = await InvokeAsync(handler, [5f]).AsTask().WaitAsync(WaitLimit);
        gate.SetResult();

        Assert.Equal((1f, 5f), (await first.WaitAsync(WaitLimit), second));
    }

    [Fact]
    public async Task ExecuteAsync_ArrayResult_CallerChangesDoNotReachOtherCallers()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<float[], float[]>(NewModelName(), "1")
            .WithTimeProvider(_time)
            .UseCacheResult()
            .Build((features, _) =>
            {
                calls++;
                return features.Select(static f => f * 2).ToArray();
            });

        var first = await pipeline.ExecuteAsync([1f, 2f]);
        first[0] = 1000f;
        var second = await pipeline.ExecuteAsync([1f, 2f]);

        Assert.Equal(1, calls);
        Assert.Equal([2f, 4f], second);
    }

    [Fact]
    public void Execute_Synchronous_ServesSecondCallFromCache()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<float[], float>(NewModelName(), "1")
            .WithTimeProvider(_time)
            .UseCacheResult()
            .Build((features, _) =>
            {
                calls++;
                return CountingModel.Score(features);
            });

        Assert.Equal(3f, pipeline.Execute([1f, 2f]));
        Assert.Equal(3f, pipeline.Execute([1f, 2f]));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ExecuteAsync_ModelFailsWithinMaxStale_ServesExpiredResult()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(10), MaxStale = TimeSpan.FromMinutes(1) });
        await pipeline.ExecuteAsync([6f]);
        _time.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromMinutes(1));
        _model.Failure = static () => new TimeoutException("model slow");

        Assert.Equal(6f, await pipeline.ExecuteAsync([6f]));
        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ModelFailsBeyondMaxStale_Throws()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(10), MaxStale = TimeSpan.FromMinutes(1) });
        await pipeline.ExecuteAsync([6f]);
        _time.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        _model.Failure = static () => new TimeoutException("model slow");

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync([6f]).AsTask());
    }

    [Fact]
    public async Task ExecuteAsync_ModelFailsWithoutMaxStale_ThrowsEvenWithExpiredEntry()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(10) });
        await pipeline.ExecuteAsync([6f]);
        _time.Advance(TimeSpan.FromSeconds(11));
        _model.Failure = static () => new TimeoutException("model slow");

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync([6f]).AsTask());
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsWithStaleEntry_IsCanceledNotServedStale()
    {
        var pipeline = CreateSut(new CacheResultOptions { TimeToLive = TimeSpan.FromSeconds(10), MaxStale = TimeSpan.FromMinutes(1) });
        await pipeline.ExecuteAsync([6f]);
        _time.Advance(TimeSpan.FromSeconds(11));
        using var cancellation = new CancellationTokenSource();
        _model.Gate = Hang.UntilCancelledAsync(CancellationToken.None);

        var call = pipeline.ExecuteAsync([6f], cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(WaitLimit));
    }

    [Fact]
    public async Task InvalidateAsync_OneVersion_ClearsOnlyThatVersionsEntries()
    {
        var model = NewModelName();
        var v1 = CreateSut(model: model, version: "1");
        var v2 = CreateSut(model: model, version: "2");
        await v1.ExecuteAsync([1f]);
        await v2.ExecuteAsync([1f]);

        await CacheInvalidator.Standalone.InvalidateAsync(model, "1");
        await v1.ExecuteAsync([1f]);
        await v2.ExecuteAsync([1f]);

        Assert.Equal(3, _model.Calls);
    }

    [Fact]
    public async Task InvalidateAsync_WholeModel_ClearsEveryVersion()
    {
        var model = NewModelName();
        var v1 = CreateSut(model: model, version: "1");
        var v2 = CreateSut(model: model, version: "2");
        await v1.ExecuteAsync([1f]);
        await v2.ExecuteAsync([1f]);

        await CacheInvalidator.Standalone.InvalidateAsync(model);
        await v1.ExecuteAsync([1f]);
        await v2.ExecuteAsync([1f]);

        Assert.Equal(4, _model.Calls);
    }

    [Fact]
    public async Task InvalidateAsync_BlankModelName_ThrowsNamingTheParameter()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => CacheInvalidator.Standalone.InvalidateAsync(" ").AsTask());
        Assert.Equal("modelName", exception.ParamName);
    }

    [Fact]
    public void Build_InputTypeWithoutDescriptor_ThrowsNamingTheParameterAndTheRemedy()
    {
        var builder = InferencePipeline.For<List<float>, float>("fraud", "1").UseCacheResult();

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => builder.Build(static (features, _) => features.Sum()));

        Assert.Equal(
            "CacheResult cannot key parameter 'input' of type System.Collections.Generic.List`1[System.Single]: Keel keys numeric arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T>, Tensor<T>, strings and numeric scalars. Describe the type with builder.WithInputDescriptor(ValueDescriptor.Create<List`1>((value, ref writer) => ...)), writing every field the prediction depends on, or, for a tuple of several arguments, with ValueDescriptor.Tuple(...) of the parts' descriptors.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task Build_InputDescriptorGiven_CachesRecords()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<Transaction, float>(NewModelName(), "1")
            .WithInputDescriptor(ValueDescriptor.Create<Transaction>(static (t, ref w) =>
            {
                w.Write(t.Amount);
                w.Write(t.Merchant);
            }))
            .UseCacheResult()
            .Build((t, _) => ++calls * t.Amount);

        var first = await pipeline.ExecuteAsync(new Transaction(2f, "shop"));
        var second = await pipeline.ExecuteAsync(new Transaction(2f, "shop"));
        var other = await pipeline.ExecuteAsync(new Transaction(2f, "other"));

        Assert.Equal((2f, 2f, 4f), (first, second, other));
    }

    [Fact]
    public void Build_InvalidOptions_ListsEveryProblem()
    {
        var builder = InferencePipeline.For<float[], float>("fraud", "1")
            .UseCacheResult(new CacheResultOptions { TimeToLive = TimeSpan.Zero, MaxEntries = 0, MaxStale = TimeSpan.FromSeconds(-1) });

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => builder.Build(static (features, _) => features.Sum()));

        Assert.Equal(
            [
                "CacheResultOptions:TimeToLive must be greater than 00:00:00 and at most 30.00:00:00, but was 00:00:00.",
                "CacheResultOptions:MaxEntries must be between 3 and 10000000, but was 0.",
                "CacheResultOptions:MaxStale must be greater than 00:00:00 and at most 30.00:00:00 when set, but was -00:00:01.",
            ],
            exception.Failures);
    }

    [Fact]
    public async Task Build_NamedProfileWithoutContainer_UsesThePipelinesOwnValues()
    {
        var pipeline = InferencePipeline.For<float[], float>(NewModelName(), "1")
            .WithTimeProvider(_time)
            .UseCacheResult("embeddings", o => o.TimeToLive = TimeSpan.FromSeconds(10))
            .Build(_model.ScoreAsync);

        await pipeline.ExecuteAsync([1f]);
        _time.Advance(TimeSpan.FromSeconds(9));
        await pipeline.ExecuteAsync([1f]);
        _time.Advance(TimeSpan.FromSeconds(2));
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(["CacheResult"], pipeline.Decorators);
        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public void UseCache_NullArguments_ThrowNamingTheParameter()
    {
        var builder = InferencePipeline.For<float[], float>("fraud", "1");

        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => builder.UseCacheResult((CacheResultOptions)null!)).ParamName);
        Assert.Equal("profile", Assert.Throws<ArgumentException>(() => builder.UseCacheResult(" ")).ParamName);
        Assert.Equal("descriptor", Assert.Throws<ArgumentNullException>(() => builder.WithInputDescriptor(null!)).ParamName);
        Assert.Equal("serializer", Assert.Throws<ArgumentNullException>(() => builder.WithResultSerializer(null!)).ParamName);
    }

    [Fact]
    public void MemoryLevel_MoreDistinctInputsThanMaxEntries_StaysBounded()
    {
        var level = new MemoryCacheLevel<float>("fraud", "1", maxEntries: 100);

        for (var i = 0; i < 10_000; i++)
        {
            level.Set((UInt128)i, new CacheEntry<float>([], i, long.MaxValue));
        }

        Assert.InRange(level.Count, 1, 100);
    }

    [Fact]
    public async Task ExecuteAsync_TenThousandDistinctInputsWithSmallMaxEntries_AnswersEveryOneCorrectly()
    {
        var pipeline = CreateSut(new CacheResultOptions { MaxEntries = 16 });

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(i % 100, await pipeline.ExecuteAsync([i % 100]));
        }

        Assert.InRange(_model.Calls, 100, 10_000);
    }

    internal static string NewModelName() => "model-" + Guid.NewGuid().ToString("N");

    private InferencePipeline<float[], float> CreateSut(CacheResultOptions? options = null, string? model = null, string version = "1") =>
        InferencePipeline.For<float[], float>(model ?? NewModelName(), version)
            .WithTimeProvider(_time)
            .UseCacheResult(options ?? new CacheResultOptions())
            .Build(_model.ScoreAsync);

    private InferencePipeline<float[], float> CreateCollidingHandler() =>
        InferencePipeline.For<float[], float>(NewModelName(), "1")
            .WithTimeProvider(_time)
            .WithInputDescriptor(new CollidingDescriptor())
            .UseCacheResult()
            .Build(_model.ScoreAsync);

    private static ValueTask<float> InvokeAsync(InferencePipeline<float[], float> pipeline, float[] input) => pipeline.ExecuteAsync(input);

    /// <summary>
    /// Writes every input's real bytes for the entry and its verification, but the same bytes for its hash, so that
    /// every lookup meets another input's entry.
    /// </summary>
    private sealed class CollidingDescriptor : ValueDescriptor<float[]>
    {
        private static readonly ValueDescriptor<float[]> s_real = ValueDescriptor.For<float[]>()!;

        public override long GetElementCount(float[] value) => s_real.GetElementCount(value);

        public override string DescribeShape(float[] value) => s_real.DescribeShape(value);

        public override void WriteKey(float[] value, ref CacheKeyWriter writer)
        {
            if (writer.IsHashing)
            {
                writer.Write(0);
                return;
            }

            s_real.WriteKey(value, ref writer);
        }
    }

    internal sealed record Transaction(float Amount, string Merchant);
}
