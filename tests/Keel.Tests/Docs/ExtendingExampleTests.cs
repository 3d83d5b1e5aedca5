using Keel.Monitoring;
using Keel.Retry;
using Microsoft.Extensions.Options;

namespace Keel.Tests.Docs;

/// <summary>
/// The concurrency limiter of docs/extending.md, copied as the page shows it, so the page's example is code that
/// compiles and does what the page says: it refuses calls over its limit, the refusal is never retried, and a limit
/// below 1 is a build error.
/// </summary>
public class ExtendingExampleTests
{
    [Fact]
    public async Task ConcurrencyLimit_CallsOverTheLimit_RefusedAndNeverRetried()
    {
        var release = new TaskCompletionSource();
        var modelCalls = 0;
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseConcurrencyLimit(1)
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, ShouldRetry = static _ => ValueTask.FromResult(true) })
            .Build(async (x, _) =>
            {
                Interlocked.Increment(ref modelCalls);
                await release.Task;
                return x;
            });

        var first = pipeline.ExecuteAsync(1).AsTask();
        var refused = await Assert.ThrowsAsync<ConcurrencyLimitException>(() => pipeline.ExecuteAsync(2).AsTask());
        release.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal(1, modelCalls);
        Assert.Equal(KeelOutcomes.Rejected, refused.Outcome);
        Assert.Equal("Model 'fraud' is already running 1 calls.", refused.Message);
    }

    [Fact]
    public void ConcurrencyLimit_BelowOne_BuildNamesTheOption()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0").UseConcurrencyLimit(0);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (x, _) => x));

        Assert.Equal("ConcurrencyLimit:Limit must be at least 1, but was 0.", Assert.Single(exception.Failures));
    }
}

// From docs/extending.md, "A decorator of your own".
public sealed class ConcurrencyLimitException(string modelName, int limit)
    : InferenceRefusedException($"Model '{modelName}' is already running {limit} calls.")
{
    public override string Outcome => KeelOutcomes.Rejected;   // keel.outcome = rejected; never retried
}

public sealed class ConcurrencyLimitHandler<TInput, TResult>(InferenceHandler<TInput, TResult> next, string modelName, int limit)
    : InferenceHandler<TInput, TResult>
{
    private int _inFlight;   // shared by every call on purpose: it is the limit's count, not per-call state

    public override async ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        if (Interlocked.Increment(ref _inFlight) > limit)
        {
            Interlocked.Decrement(ref _inFlight);
            throw new ConcurrencyLimitException(modelName, limit);
        }

        try
        {
            return await next.InvokeAsync(input, context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

public static class ConcurrencyLimitPipelineBuilderExtensions
{
    public static InferencePipelineBuilder<TInput, TResult> UseConcurrencyLimit<TInput, TResult>(
        this InferencePipelineBuilder<TInput, TResult> builder, int limit) =>
        builder.Use("ConcurrencyLimit", (next, context) =>
        {
            if (limit < 1)
            {
                context.AddError($"ConcurrencyLimit:Limit must be at least 1, but was {limit}.");
                return next;
            }

            return new ConcurrencyLimitHandler<TInput, TResult>(next, context.ModelName, limit);
        });
}
