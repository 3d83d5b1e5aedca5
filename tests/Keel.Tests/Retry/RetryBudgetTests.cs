using Keel.Retry;
using Keel.Tests.TestSupport;

namespace Keel.Tests.Retry;

public class RetryBudgetTests
{
    [Fact]
    public void RecordFailure_FromFull_StopsRetriesAtHalfTheTokens()
    {
        var budget = new RetryBudget(maxTokens: 10, tokenRatio: 0.1);
        var allowed = new List<bool>();
        for (var i = 0; i < 7; i++)
        {
            budget.RecordFailure();
            allowed.Add(budget.CanRetry);
        }

        // 9, 8, 7, 6 tokens allow retries; at 5 (= 10 / 2) and below they stop.
        Assert.Equal([true, true, true, true, false, false, false], allowed);
    }

    [Fact]
    public void RecordSuccess_AfterFailures_RefundsTheRatioUpToMaxTokens()
    {
        var budget = new RetryBudget(maxTokens: 10, tokenRatio: 0.1);
        for (var i = 0; i < 5; i++)
        {
            budget.RecordFailure();
        }

        Assert.False(budget.CanRetry);
        budget.RecordSuccess();
        Assert.Equal(5.1, budget.Tokens, precision: 3);
        Assert.True(budget.CanRetry);

        for (var i = 0; i < 100; i++)
        {
            budget.RecordSuccess();
        }

        Assert.Equal(10, budget.Tokens, precision: 3);
    }

    [Fact]
    public void RecordFailure_PastZero_StaysAtZero()
    {
        var budget = new RetryBudget(maxTokens: 2, tokenRatio: 1);
        for (var i = 0; i < 5; i++)
        {
            budget.RecordFailure();
        }

        Assert.Equal(0, budget.Tokens);
    }

    [Fact]
    public async Task ExecuteAsync_OutageWithHundredConcurrentCallers_RetriesStayWithinTheBudget()
    {
        const int Callers = 100;
        var healthy = false;
        var model = new FlakyModel(_ => Volatile.Read(ref healthy) ? null : new TimeoutException("feature store down"));
        var retries = 0;
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions
            {
                BaseDelay = TimeSpan.Zero,
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref retries);
                    return default;
                },
            })
            .Build(async (input, ct) =>
            {
                await Task.Yield();
                return model.Invoke(input, ct);
            });

        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(() => pipeline.ExecuteAsync(i).AsTask())).ToArray();
        await Assert.ThrowsAsync<TimeoutException>(() => Task.WhenAll(calls));

        // Without a budget: 100 × 3 = 300 retries. With 10 tokens, retries stop once 5 are left: at most 4 retries.
        Assert.All(calls, c => Assert.True(c.IsFaulted));
        Assert.InRange(retries, 0, 4);
        Assert.Equal(Callers + retries, model.Calls);

        // Recovery: successes refill the budget (0.1 each) and retries resume.
        Volatile.Write(ref healthy, true);
        for (var i = 0; i < 100; i++)
        {
            await pipeline.ExecuteAsync(i);
        }

        Volatile.Write(ref healthy, false);
        var afterRecovery = model.Calls;
        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync(1).AsTask());
        Assert.True(model.Calls - afterRecovery > 1, "A failure after recovery must be retried again.");
    }

    [Fact]
    public async Task ExecuteAsync_BudgetSpent_RethrowsTheOriginalException()
    {
        var failures = new List<TimeoutException>();
        var model = FlakyModel.AlwaysFailing(() =>
        {
            var failure = new TimeoutException($"failure {failures.Count + 1}");
            failures.Add(failure);
            return failure;
        });
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, MaxAttempts = 100 })
            .Build(model.InvokeAsync);

        var caught = await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(5, model.Calls); // 10 → 9, 8, 7, 6 (retry each time) → 5: stop
        Assert.Same(failures[^1], caught);
    }

    [Fact]
    public async Task ExecuteAsync_BudgetDisabled_RetriesUpToMaxAttempts()
    {
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, MaxAttempts = 20, Budget = { Enabled = false } })
            .Build(model.InvokeAsync);

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(20, model.Calls);
    }
}
