using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Keel.Tests.Resilience;

public class ResilienceDecoratorTests
{
    [Fact]
    public async Task ExecuteAsync_PollyTimeoutInsideKeelRetry_TimesOutThenRetries()
    {
        var time = new SignallingTimeProvider();
        var attempts = 0;
        var polly = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(TimeSpan.FromSeconds(2)).Build();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .WithTimeProvider(time)
            .UseRetry(new RetryOptions { Jitter = RetryJitter.None })
            .UseResilience(polly)
            .Build(async (x, ct) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await Hang.UntilCancelledAsync(ct); // until Polly's timeout cancels it
                }

                return x + 1;
            });

        var call = pipeline.ExecuteAsync(1).AsTask();
        await time.WaitForTimerAsync(); // Polly's timeout for attempt 1
        time.Fake.Advance(TimeSpan.FromSeconds(2)); // it fires: TimeoutRejectedException is transient
        await time.WaitForTimerAsync(); // Keel's first backoff
        Assert.Equal(1, attempts);
        time.Fake.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, await call);
        Assert.Equal(2, attempts);
        // Polly creates each attempt's timer unarmed (infinite) and arms it with CancelAfter; Keel's 1 s backoff lies between.
        Assert.Equal([Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan], time.RequestedWaits);
    }

    [Fact]
    public async Task ExecuteAsync_OpenCircuit_IsNotRetriedByKeel()
    {
        var polly = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromMinutes(1) })
            .Build();
        var model = FlakyModel.AlwaysFailing(() => new InvalidOperationException("model crashed"));
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero })
            .UseResilience(polly)
            .Build(model.InvokeAsync);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(1).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(1).AsTask());
        await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(2, model.Calls);
    }

    [Fact]
    public void Execute_SyncCallThroughPollyRetry_RunsOnTheCallingThread()
    {
        var polly = new ResiliencePipelineBuilder()
            .AddRetry(new Polly.Retry.RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.Zero })
            .Build();
        var model = new FlakyModel(new InvalidOperationException(), new InvalidOperationException());
        var thread = Environment.CurrentManagedThreadId;
        var threads = new List<int>();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0").UseResilience(polly).Build((x, ct) =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            return model.Invoke(x, ct);
        });

        Assert.Equal(8, pipeline.Execute(7));
        Assert.Equal([thread, thread, thread], threads);
    }

    [Fact]
    public async Task ExecuteAsync_PollyHedging_EachExecutionSeesItsOwnContext()
    {
        var polly = new ResiliencePipelineBuilder<int>()
            .AddHedging(new Polly.Hedging.HedgingStrategyOptions<int> { MaxHedgedAttempts = 3, Delay = TimeSpan.Zero })
            .Build();
        var tokens = new System.Collections.Concurrent.ConcurrentBag<CancellationToken>();
        var started = 0;
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseResilience(polly)
            .Build(async (x, ct) =>
            {
                tokens.Add(ct);
                if (Interlocked.Increment(ref started) < 3)
                {
                    await Hang.UntilCancelledAsync(ct); // the first executions hang; the last one answers
                }

                return x + 1;
            });

        Assert.Equal(2, await pipeline.ExecuteAsync(1));
        Assert.Equal(3, tokens.Distinct().Count());
    }

    [Fact]
    public void Build_RegisteredPipelineKey_ResolvesFromTheContainer()
    {
        var services = new ServiceCollection();
        services.AddKeel();
        services.AddResiliencePipeline("feature-store", b => b.AddTimeout(TimeSpan.FromSeconds(1)));
        using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<InferencePipelineFactory>()
            .For<int, int>("fraud", "3.2.0")
            .UseResilience("feature-store")
            .Build((x, _) => x + 1);

        Assert.Equal(["Resilience"], pipeline.Decorators);
        Assert.Equal(2, pipeline.Execute(1));
    }

    [Fact]
    public void Build_UnknownPipelineKey_SaysHowToRegisterIt()
    {
        var services = new ServiceCollection();
        services.AddKeel();
        services.AddResiliencePipeline("other", b => b.AddTimeout(TimeSpan.FromSeconds(1)));
        using var provider = services.BuildServiceProvider();
        var builder = provider.GetRequiredService<InferencePipelineFactory>().For<int, int>("fraud", "3.2.0").UseResilience("feature-store");

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal("Resilience pipeline 'feature-store' is not registered: add it with services.AddResiliencePipeline(\"feature-store\", …).", Assert.Single(exception.Failures));
    }
}
