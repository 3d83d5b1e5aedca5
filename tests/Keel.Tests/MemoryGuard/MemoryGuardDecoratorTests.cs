using Keel.MemoryGuard;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Keel.Tests.MemoryGuard.FakeMemorySource;

namespace Keel.Tests.MemoryGuard;

public class MemoryGuardDecoratorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CollectionInterval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeMemorySource _source = new(10 * GB, 5 * GB);
    private int _collections;
    private int _modelCalls;
    private MemorySampler? _sampler;

    public MemoryGuardDecoratorTests()
    {
        Inline.RunContinuations();
    }

    [Fact]
    public async Task ExecuteAsync_LoadBelowThreshold_CallsTheModel()
    {
        var pipeline = CreateSut(new MemoryGuardOptions());

        Assert.Equal(2, await pipeline.ExecuteAsync(1));
        Assert.Equal(1, _modelCalls);
        Assert.Equal(["MemoryGuard"], pipeline.Decorators);
    }

    [Fact]
    public async Task ExecuteAsync_RejectAboveThreshold_ThrowsWithRetryAfterAndNeverCallsTheModel()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions { Action = MemoryGuardAction.Reject, RetryAfter = TimeSpan.FromSeconds(3) });

        var exception = await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(0.95, exception.MemoryLoad, 3);
        Assert.Equal(0.90, exception.MaxMemoryLoad);
        Assert.Equal(TimeSpan.FromSeconds(3), exception.RetryAfter);
        Assert.Equal(0, exception.EstimatedBytes);
        Assert.Equal(0, _modelCalls);
        Assert.Equal(0, _collections);
    }

    [Fact]
    public async Task ExecuteAsync_CollectThenRejectAndTheCollectionFreesMemory_AdmitsTheCall()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions(), onCollect: () => _source.UsedBytes = 4 * GB);

        Assert.Equal(2, await pipeline.ExecuteAsync(1));
        Assert.Equal(1, _collections);
        Assert.Equal(1, _modelCalls);
    }

    [Fact]
    public async Task ExecuteAsync_CollectThenRejectAndMemoryStaysShort_RejectsAfterOneCollection()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions());

        await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(1, _collections);
        Assert.Equal(0, _modelCalls);
    }

    [Fact]
    public async Task ExecuteAsync_ManyCallsUnderPressureWithinOneSecond_CollectOnceThenOncePerSecond()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions());

        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(() => pipeline.ExecuteAsync(1).AsTask())).ToArray();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<MemoryPressureException>(() => call);
        }

        Assert.Equal(1, _collections);

        // The sample interval is 250 ms; collections are rate-limited to one a second.
        _time.Advance(CollectionInterval - TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());
        Assert.Equal(1, _collections);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());
        Assert.Equal(2, _collections);
    }

    [Fact]
    public async Task ExecuteAsync_CollectThenReject_CollectsOffTheCallersThreadAndAdmitsOnceMemoryIsFreed()
    {
        _source.UsedBytes = 95 * GB / 10;
        var caller = Environment.CurrentManagedThreadId;
        var collectedOn = -1;
        using var release = new ManualResetEventSlim();
        var pipeline = CreateSut(new MemoryGuardOptions(), onCollect: () =>
        {
            collectedOn = Environment.CurrentManagedThreadId;
            // Bounded, in case a regression runs the collection on the caller's thread: the test then fails below instead of hanging.
            release.Wait(TimeSpan.FromSeconds(10));
            _source.UsedBytes = 4 * GB;
        });

        var call = pipeline.ExecuteAsync(1);

        Assert.False(call.IsCompleted, "the call ran the collection itself instead of leaving it to the sampler");
        release.Set();
        Assert.Equal(2, await call);
        Assert.NotEqual(caller, collectedOn);
        Assert.Equal(1, _modelCalls);
    }

    [Fact]
    public async Task ExecuteAsync_CollectThenRejectAndTheCollectionOutlastsMaxWait_Refused()
    {
        _source.UsedBytes = 95 * GB / 10;
        using var release = new ManualResetEventSlim();
        var pipeline = CreateSut(new MemoryGuardOptions { MaxWait = TimeSpan.FromSeconds(1) }, onCollect: () => release.Wait(TimeSpan.FromSeconds(10)));

        var call = pipeline.ExecuteAsync(1).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<MemoryPressureException>(() => call);
        release.Set();
        Assert.Equal(0, _modelCalls);
    }

    [Fact]
    public async Task ExecuteAsync_WaitAndMemoryFreesBeforeMaxWait_AdmitsTheCall()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions { Action = MemoryGuardAction.Wait, MaxWait = TimeSpan.FromSeconds(2) });

        var call = pipeline.ExecuteAsync(1).AsTask();
        _time.Advance(Interval);
        Assert.False(call.IsCompleted);

        _source.UsedBytes = 5 * GB;
        _sampler!.SampleNow();
        _time.Advance(Interval);

        Assert.Equal(2, await call);
        Assert.Equal(0, _collections);
    }

    [Fact]
    public async Task ExecuteAsync_WaitAndMemoryStaysShort_RejectsAtMaxWait()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions { Action = MemoryGuardAction.Wait, MaxWait = TimeSpan.FromSeconds(1) });

        var call = pipeline.ExecuteAsync(1).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<MemoryPressureException>(() => call);
        Assert.Equal(0, _modelCalls);
    }

    [Fact]
    public async Task ExecuteAsync_WaitCancelledByCaller_ThrowsOperationCanceled()
    {
        _source.UsedBytes = 95 * GB / 10;
        var pipeline = CreateSut(new MemoryGuardOptions { Action = MemoryGuardAction.Wait, MaxWait = TimeSpan.FromSeconds(5) });
        using var cancellation = new CancellationTokenSource();

        var call = pipeline.ExecuteAsync(1, cancellation.Token).AsTask();
        _time.Advance(Interval);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, _modelCalls);
    }

    [Fact]
    public async Task Execute_SyncWaitAndMemoryFrees_BlocksUntilAdmitted()
    {
        var time = new SignallingTimeProvider();
        _source.UsedBytes = 95 * GB / 10;
        var sampler = _source.CreateSampler(time);
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions { Action = MemoryGuardAction.Wait }, sampler)
            .Build((x, _) => x + 1);
        await time.WaitForTimerAsync(); // the sampler's own timer

        var call = Task.Run(() => pipeline.Execute(1));
        await time.WaitForTimerAsync(); // the guard's wait
        _source.UsedBytes = GB;
        sampler.SampleNow();
        time.Fake.Advance(Interval);

        Assert.Equal(2, await call);
    }

    [Fact]
    public async Task ExecuteAsync_TenConcurrentOneGigabyteCallsAgainstThreeGigabytesOfHeadroom_AdmitsThreeAndRejectsSeven()
    {
        _source.UsedBytes = 6 * GB; // 10 GB × 0.90 − 6 GB = 3 GB of headroom
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var admitted = new SemaphoreSlim(0);
        var rejected = new SemaphoreSlim(0);
        var inFlight = 0;
        var maxInFlight = 0;
        var sampler = _source.CreateSampler(_time);
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions { Action = MemoryGuardAction.Reject, EstimatedBytes = GB }, sampler)
            .Build(async (x, ct) =>
            {
                InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
                admitted.Release();
                await release.Task.WaitAsync(ct);
                Interlocked.Decrement(ref inFlight);
                return x + 1;
            });

        var refusals = new System.Collections.Concurrent.ConcurrentBag<MemoryPressureException>();
        var calls = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await pipeline.ExecuteAsync(1);
            }
            catch (MemoryPressureException exception)
            {
                refusals.Add(exception);
                rejected.Release();
                return -1;
            }
        })).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await admitted.WaitAsync(TimeSpan.FromSeconds(10)), $"only {i} calls were admitted");
        }

        for (var i = 0; i < 7; i++)
        {
            Assert.True(await rejected.WaitAsync(TimeSpan.FromSeconds(10)), $"only {i} calls were rejected");
        }

        Assert.Equal(3 * GB, sampler.ReservedBytes);
        Assert.All(refusals, r => Assert.Equal(GB, r.EstimatedBytes));
        Assert.Contains("does not fit", refusals.First().Message, StringComparison.Ordinal);

        release.SetResult();
        var results = await Task.WhenAll(calls);
        Assert.Equal(3, results.Count(r => r == 2));
        Assert.Equal(7, results.Count(r => r == -1));
        Assert.Equal(3, maxInFlight);
        Assert.Equal(0, sampler.ReservedBytes);
    }

    [Fact]
    public async Task ExecuteAsync_TenConcurrentOneGigabyteCallsWaiting_AdmitsThemInTurnsNeverMoreThanThree()
    {
        _source.UsedBytes = 6 * GB;
        var inFlight = 0;
        var maxInFlight = 0;
        var admitted = new SemaphoreSlim(0);
        var finish = new SemaphoreSlim(0);
        var sampler = _source.CreateSampler(_time);
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions { Action = MemoryGuardAction.Wait, MaxWait = TimeSpan.FromHours(1), EstimatedBytes = GB }, sampler)
            .Build(async (x, ct) =>
            {
                InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
                admitted.Release();
                await finish.WaitAsync(ct);
                Interlocked.Decrement(ref inFlight);
                return x + 1;
            });

        var calls = Enumerable.Range(0, 10).Select(_ => Task.Run(() => pipeline.ExecuteAsync(1).AsTask())).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await admitted.WaitAsync(TimeSpan.FromSeconds(10)), $"only {i} calls were admitted");
        }

        // Let one admitted call finish at a time and move the clock so the waiting calls check again, until all are done.
        var allDone = Task.WhenAll(calls);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!allDone.IsCompleted)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the waiting calls were not all admitted within 30 seconds");
            Assert.InRange(Volatile.Read(ref inFlight), 0, 3);
            finish.Release();
            await admitted.WaitAsync(TimeSpan.FromMilliseconds(20));
            _time.Advance(Interval);
        }

        Assert.All(await allDone, r => Assert.Equal(2, r));
        Assert.Equal(3, maxInFlight);
        Assert.Equal(0, sampler.ReservedBytes);
    }

    [Fact]
    public async Task ExecuteAsync_ModelFailsOrIsCancelled_ReleasesTheReservation()
    {
        var sampler = _source.CreateSampler(_time);
        var options = new MemoryGuardOptions { EstimatedBytes = GB };
        var failing = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(options, sampler)
            .Build(static int (_, _) => throw new InvalidOperationException("model failed"));
        var hanging = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(options, sampler)
            .Build(async (x, ct) =>
            {
                await Hang.UntilCancelledAsync(ct);
                return x;
            });
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ExecuteAsync(1).AsTask());
        Assert.Throws<InvalidOperationException>(() => failing.Execute(1));
        var hung = hanging.ExecuteAsync(1, cancellation.Token).AsTask();
        Assert.Equal(GB, sampler.ReservedBytes);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung);

        Assert.Equal(0, sampler.ReservedBytes);
    }

    [Fact]
    public void Build_InvalidOptions_ReportsEveryProblemInOneException()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0").UseMemoryGuard(new MemoryGuardOptions
        {
            MaxMemoryLoad = 1.5,
            Action = (MemoryGuardAction)7,
            MaxWait = TimeSpan.FromSeconds(-1),
            RetryAfter = TimeSpan.FromDays(2),
            EstimatedBytes = -1,
        });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal(
            [
                "MemoryGuardOptions:MaxMemoryLoad must be greater than 0 and at most 1 (a ratio of the limit, 0.90 for 90 %), but was 1.5.",
                "MemoryGuardOptions:Action must be one of CollectThenReject, Wait or Reject, but was 7.",
                "MemoryGuardOptions:MaxWait must be between 00:00:00 and 01:00:00, but was -00:00:01.",
                "MemoryGuardOptions:RetryAfter must be between 00:00:00 and 01:00:00, but was 2.00:00:00.",
                "MemoryGuardOptions:EstimatedBytes must be 0 (no admission control) or more, but was -1.",
            ],
            exception.Failures);
    }

    [Fact]
    public void Build_WaitWithoutMaxWait_IsRefused()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(new MemoryGuardOptions { Action = MemoryGuardAction.Wait, MaxWait = TimeSpan.Zero });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal(["MemoryGuardOptions:MaxWait must be greater than 00:00:00 when Action is Wait (use Reject to refuse at once), but was 00:00:00."], exception.Failures);
    }

    [Fact]
    public async Task UseMemoryGuard_Threshold_AppliesItToTheContainersSampler()
    {
        using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddKeel()
            .ConfigureMemorySampler(o =>
            {
                o.UseBuiltInSources = false;
                o.Sources.Add(_source);
            })
            .Services.BuildServiceProvider();
        var pipeline = services.GetRequiredService<InferencePipelineFactory>()
            .For<int, int>("fraud", "3.2.0").UseMemoryGuard(0.6).Build((x, _) => x + 1);

        Assert.Equal(2, await pipeline.ExecuteAsync(1));
        _source.UsedBytes = 7 * GB;
        _time.Advance(Interval);
        var exception = await Assert.ThrowsAsync<MemoryPressureException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(0.6, exception.MaxMemoryLoad);
        Assert.Equal(0.7, exception.MemoryLoad, 3);
    }

    [Fact]
    public void UseMemoryGuard_NullArguments_Throw()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0");

        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => MemoryGuardPipelineBuilderExtensions.UseMemoryGuard<int, int>(null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => builder.UseMemoryGuard((MemoryGuardOptions)null!)).ParamName);
        Assert.Equal("profile", Assert.Throws<ArgumentException>(() => builder.UseMemoryGuard(" ")).ParamName);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private InferencePipeline<int, int> CreateSut(MemoryGuardOptions options, Action? onCollect = null)
    {
        _sampler = _source.CreateSampler(_time, () =>
        {
            Interlocked.Increment(ref _collections);
            onCollect?.Invoke();
        });
        return InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseMemoryGuard(options, _sampler)
            .Build((x, _) =>
            {
                Interlocked.Increment(ref _modelCalls);
                return new ValueTask<int>(x + 1);
            });
    }
}
