using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Retry;

public class RetryDecoratorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<OnRetryArguments> _retries = [];

    [Fact]
    public async Task ExecuteAsync_NoJitter_WaitsExactlyOneTwoFourSeconds()
    {
        var model = new FlakyModel(new TimeoutException(), new TimeoutException(), new TimeoutException());
        var pipeline = CreateSut(model, new RetryOptions { Jitter = RetryJitter.None });

        var call = pipeline.ExecuteAsync(1).AsTask();

        foreach (var (wait, attemptsAfter) in new[] { (1000, 2), (2000, 3), (4000, 4) })
        {
            _time.Advance(TimeSpan.FromMilliseconds(wait - 1));
            Assert.Equal(attemptsAfter - 1, model.Calls);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(attemptsAfter, model.Calls);
        }

        Assert.Equal(2, await call);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _retries.Select(r => r.Delay));
        Assert.Equal([1, 2, 3], _retries.Select(r => r.AttemptNumber));
    }

    [Fact]
    public async Task ExecuteAsync_FactorAndMaxDelay_CapsEveryWait()
    {
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var options = new RetryOptions { Jitter = RetryJitter.None, MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), Factor = 10, MaxDelay = TimeSpan.FromSeconds(5) };

        await RunToCompletionAsync<TimeoutException>(CreateSut(model, options));

        Assert.Equal([1, 5, 5, 5], _retries.Select(r => r.Delay.TotalSeconds));
        Assert.Equal(5, model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_FullJitter_DrawsBetweenZeroAndTheExponentialDelay()
    {
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var options = new RetryOptions { Jitter = RetryJitter.Full, Randomizer = () => 0.5 };

        await RunToCompletionAsync<TimeoutException>(CreateSut(model, options));

        Assert.Equal([0.5, 1, 2], _retries.Select(r => r.Delay.TotalSeconds));
    }

    [Fact]
    public async Task ExecuteAsync_DecorrelatedJitter_GrowsFromThePreviousWait()
    {
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var options = new RetryOptions { Jitter = RetryJitter.Decorrelated, Randomizer = () => 0.5 };

        await RunToCompletionAsync<TimeoutException>(CreateSut(model, options));

        // base + r × (3 × previous − base), previous starting at base: 1 + 0.5 × 2, 1 + 0.5 × 5, 1 + 0.5 × 9.5
        Assert.Equal([2, 3.5, 5.75], _retries.Select(r => r.Delay.TotalSeconds));
    }

    [Fact]
    public async Task ExecuteAsync_DefaultOptions_MakeFourAttemptsAndRethrowTheOriginalException()
    {
        var failures = Enumerable.Range(0, 10).Select(i => new TimeoutException($"attempt {i + 1}")).ToArray();
        var model = new FlakyModel(failures);

        var caught = await RunToCompletionAsync<TimeoutException>(CreateSut(model, new RetryOptions()));

        Assert.Equal(4, model.Calls);
        Assert.Same(failures[3], caught);
        Assert.Equal(3, _retries.Count);
    }

    [Fact]
    public async Task ExecuteAsync_MaxTotalDuration_StopsBeforeAWaitThatWouldPassIt()
    {
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var options = new RetryOptions { Jitter = RetryJitter.None, MaxTotalDuration = TimeSpan.FromSeconds(2.5) };

        await RunToCompletionAsync<TimeoutException>(CreateSut(model, options));

        // Waits of 1 s (ends at 1 s) fits; the next wait of 2 s would end at 3 s > 2.5 s.
        Assert.Equal(2, model.Calls);
        Assert.Equal([TimeSpan.FromSeconds(1)], _retries.Select(r => r.Delay));
    }

    public static TheoryData<Exception> NeverRetried => new()
    {
        new InputValidationException([new InputViolation("features", "shape", "shape [64]", "[63]")]),
        new MemoryPressureException(0.95, 0.90, TimeSpan.FromSeconds(1)),
    };

    [Theory]
    [MemberData(nameof(NeverRetried))]
    public async Task ExecuteAsync_ValidationOrMemoryPressure_IsNeverRetriedEvenIfThePredicateSaysSo(Exception failure)
    {
        var model = new FlakyModel(failure);
        var options = new RetryOptions { ShouldRetry = _ => ValueTask.FromResult(true) };

        var caught = await Assert.ThrowsAsync(failure.GetType(), () => CreateSut(model, options).ExecuteAsync(1).AsTask());

        Assert.Same(failure, caught);
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_NonTransientFailure_IsNotRetried()
    {
        var model = new FlakyModel(new ArgumentException("bad feature id"));

        await Assert.ThrowsAsync<ArgumentException>(() => CreateSut(model, new RetryOptions()).ExecuteAsync(1).AsTask());

        Assert.Equal(1, model.Calls);
        Assert.Empty(_retries);
    }

    [Fact]
    public async Task ExecuteAsync_CustomPredicate_DecidesWithAttemptNumberAndContext()
    {
        var seen = new List<(int Attempt, string Model)>();
        var model = new FlakyModel(new ArgumentException("1"), new ArgumentException("2"));
        var options = new RetryOptions
        {
            BaseDelay = TimeSpan.Zero,
            ShouldRetry = args =>
            {
                seen.Add((args.AttemptNumber, args.Context.ModelName));
                return ValueTask.FromResult(args.Exception is ArgumentException);
            },
        };

        Assert.Equal(2, await CreateSut(model, options).ExecuteAsync(1));
        Assert.Equal([(1, "fraud"), (2, "fraud")], seen);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringAWait_EndsWithOperationCanceledWithoutTheClockMoving()
    {
        using var cancellation = new CancellationTokenSource();
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var call = CreateSut(model, new RetryOptions { Jitter = RetryJitter.None }).ExecuteAsync(1, cancellation.Token).AsTask();
        Assert.False(call.IsCompleted);

        await cancellation.CancelAsync();

        // The fake clock never moves, so only the cancellation can end the 1 s wait; the real-time bound only keeps a
        // broken implementation from hanging the test run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelledDuringAnAttempt_IsNotRetried()
    {
        using var cancellation = new CancellationTokenSource();
        var model = new FlakyModel(attempt =>
        {
            cancellation.Cancel();
            return new TimeoutException("would be transient, but the caller gave up");
        });

        await Assert.ThrowsAsync<TimeoutException>(() => CreateSut(model, new RetryOptions()).ExecuteAsync(1, cancellation.Token).AsTask());

        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterHint_IsHonouredInsteadOfBackoff()
    {
        var model = new FlakyModel(new TransientException("throttled") { RetryAfter = TimeSpan.FromSeconds(7) });
        var call = CreateSut(model, new RetryOptions { Jitter = RetryJitter.None }).ExecuteAsync(1).AsTask();

        _time.Advance(TimeSpan.FromSeconds(6.999));
        Assert.Equal(1, model.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, await call);
        Assert.Equal(TimeSpan.FromSeconds(7), _retries.Single().Delay);
        Assert.True(_retries.Single().IsRetryAfterHint);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterHintAboveMaxDelay_IsCappedByMaxDelay()
    {
        var model = new FlakyModel(new TransientException("throttled") { RetryAfter = TimeSpan.FromMinutes(10) });
        var call = CreateSut(model, new RetryOptions { MaxDelay = TimeSpan.FromSeconds(30) }).ExecuteAsync(1).AsTask();

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(2, await call);
        Assert.Equal(TimeSpan.FromSeconds(30), _retries.Single().Delay);
    }

    [Fact]
    public async Task ExecuteAsync_OnRetry_ReceivesAttemptDelayExceptionAndContext()
    {
        var failure = new TimeoutException();
        var model = new FlakyModel(failure);
        var call = CreateSut(model, new RetryOptions { Jitter = RetryJitter.None }).ExecuteAsync(1).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        await call;

        var retry = Assert.Single(_retries);
        Assert.Equal(1, retry.AttemptNumber);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
        Assert.Same(failure, retry.Exception);
        Assert.False(retry.IsRetryAfterHint);
    }

    [Fact]
    public void Execute_SyncModel_RunsOnTheCallingThreadWithZeroDelays()
    {
        var model = new FlakyModel(new TimeoutException(), new TimeoutException());
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero })
            .Build(model.Invoke);

        Assert.Equal(42, pipeline.Execute(41));
        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public async Task Execute_SyncModel_BlocksForEachWaitOnTheGivenClock()
    {
        var time = new SignallingTimeProvider();
        var model = new FlakyModel(new TimeoutException(), new TimeoutException());
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .WithTimeProvider(time)
            .UseRetry(new RetryOptions { Jitter = RetryJitter.None })
            .Build(model.Invoke);

        var call = Task.Factory.StartNew(() => pipeline.Execute(41), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await time.WaitForTimerAsync();
        Assert.False(call.IsCompleted);
        time.Fake.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync();
        time.Fake.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(42, await call);
        Assert.Equal(3, model.Calls);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.RequestedWaits);
    }

    [Fact]
    public void Execute_NonTransientFailure_PropagatesUnchanged()
    {
        var failure = new InvalidOperationException("model file is corrupt");
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0").UseRetry().Build(new FlakyModel(failure).Invoke);

        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => pipeline.Execute(1)));
    }

    private InferencePipeline<int, int> CreateSut(FlakyModel model, RetryOptions options)
    {
        Inline.RunContinuations();
        options.OnRetry = args =>
        {
            _retries.Add(args);
            return default;
        };
        return InferencePipeline.For<int, int>("fraud", "3.2.0")
            .WithTimeProvider(_time)
            .UseRetry(options)
            .Build(model.InvokeAsync);
    }

    /// <summary>Runs a call that is expected to fail, advancing the fake clock one second at a time until it ends.</summary>
    private async Task<TException> RunToCompletionAsync<TException>(InferencePipeline<int, int> pipeline)
        where TException : Exception
    {
        var call = pipeline.ExecuteAsync(1).AsTask();
        for (var i = 0; i < 1000 && !call.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        return await Assert.ThrowsAsync<TException>(() => call);
    }
}
