using BenchmarkDotNet.Attributes;
using Keel.Retry;
using Polly;
using Polly.Retry;

namespace Keel.Benchmarks;

/// <summary>
/// The success path of retry: a model call that succeeds the first time, so no retry and no wait ever happens.
/// Every variant calls the same cached model delegate; the async ones return their <see cref="ValueTask{TResult}"/>
/// to BenchmarkDotNet, which awaits it.
/// </summary>
[MemoryDiagnoser]
public class RetryBenchmarks
{
    private const int MaxAttempts = 4;

    private static readonly Func<int, CancellationToken, ValueTask<int>> s_model = static (input, _) => new ValueTask<int>(input + 1);
    private static readonly Func<int, CancellationToken, int> s_syncModel = static (input, _) => input + 1;

    private readonly int _input = 41;
    private InferencePipeline<int, int> _keel = null!;
    private InferencePipeline<int, int> _keelSync = null!;
    private InferencePipeline<int, int> _keelEmpty = null!;
    private InferencePipeline<int, int> _keelPolly = null!;
    private InferencePipeline<int, int> _keelPollyOfInt = null!;
    private ResiliencePipeline _polly = null!;
    private ResiliencePipeline<int> _pollyOfInt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keel = InferencePipeline.For<int, int>("bench", "1").UseRetry(CreateRetryOptions()).Build(s_model);
        _keelSync = InferencePipeline.For<int, int>("bench", "1").UseRetry(CreateRetryOptions()).Build(s_syncModel);
        _keelEmpty = InferencePipeline.For<int, int>("bench", "1").Build(s_model);
        _polly = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxAttempts - 1,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        _pollyOfInt = new ResiliencePipelineBuilder<int>()
            .AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        _keelPolly = InferencePipeline.For<int, int>("bench", "1").UseResilience(_polly).Build(s_model);
        _keelPollyOfInt = InferencePipeline.For<int, int>("bench", "1").UseResilience(_pollyOfInt).Build(s_model);
    }

    /// <summary>What one writes by hand: four attempts, each awaited, a failure caught and followed by a backoff wait.</summary>
    [Benchmark(Baseline = true, Description = "Hand-written loop")]
    public async ValueTask<int> HandWrittenLoop()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await s_model(_input, CancellationToken.None);
            }
            catch (Exception) when (attempt < MaxAttempts)
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), CancellationToken.None);
        }
    }

    [Benchmark(Description = "Keel UseRetry, ExecuteAsync")]
    public ValueTask<int> KeelRetry() => _keel.ExecuteAsync(_input);

    /// <summary>Polly's non-generic pipeline: its strategy works on <see cref="object"/>, so an <see cref="int"/> result is boxed.</summary>
    [Benchmark(Description = "Polly v8 AddRetry, ExecuteAsync")]
    public ValueTask<int> PollyRetry() => _polly.ExecuteAsync(static (input, token) => s_model(input, token), _input, CancellationToken.None);

    /// <summary>The same retry on Polly's generic pipeline, whose strategy is typed for the result: nothing is boxed.</summary>
    [Benchmark(Description = "Polly v8 AddRetry<int>, ExecuteAsync")]
    public ValueTask<int> PollyRetryOfInt() => _pollyOfInt.ExecuteAsync(static (input, token) => s_model(input, token), _input, CancellationToken.None);

    [Benchmark(Description = "Keel UseRetry, sync Execute")]
    public int KeelRetrySync() => _keelSync.Execute(_input);

    [Benchmark(Description = "Keel, no decorators")]
    public ValueTask<int> KeelEmpty() => _keelEmpty.ExecuteAsync(_input);

    [Benchmark(Description = "Keel UseResilience(Polly retry)")]
    public ValueTask<int> KeelResilience() => _keelPolly.ExecuteAsync(_input);

    [Benchmark(Description = "Keel UseResilience(Polly retry<int>)")]
    public ValueTask<int> KeelResilienceOfInt() => _keelPollyOfInt.ExecuteAsync(_input);

    private static RetryOptions CreateRetryOptions() => new() { MaxAttempts = MaxAttempts, BaseDelay = TimeSpan.FromSeconds(1) };
}
