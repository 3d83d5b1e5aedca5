using BenchmarkDotNet.Attributes;
using Castle.DynamicProxy;

namespace Keel.Benchmarks;

/// <summary>
/// Retry alone on a call that succeeds the first time (no wait ever happens), so that the engine and the retry
/// decorator are all that is measured besides the generated or proxied call itself: the hand-built state-passing
/// pipeline (baseline), the generated partial method (async and sync), the generated interface decorator, a Castle
/// DynamicProxy interceptor running the same pipeline, and a hand-written retry loop.
/// </summary>
[MemoryDiagnoser]
public class GeneratedRetryBenchmarks
{
    private readonly int _input = 41;
    private readonly Adder _state = new();
    private readonly GeneratedAdder _partial = new();
    private readonly IAdder _decorator = new AdderDecorator(new Adder());
    private InferencePipeline<Adder, int, int> _handBuilt = null!;
    private InferencePipeline<Adder, int, int> _handBuiltSync = null!;
    private IAdder _proxy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handBuilt = Adder.BuildPipeline<Adder>(static (adder, input, cancellationToken) => adder.AddAsync(input, cancellationToken));
        _handBuiltSync = Adder.Builder().Build<Adder>(static (adder, input, _) => Adder.Add(input));
        var interceptor = new KeelInterceptor<int, int>(Adder.BuildPipeline<ProxiedCall<int>>(static (call, _, _) => call.Proceed()));
        _proxy = new ProxyGenerator().CreateInterfaceProxyWithTarget<IAdder>(new Adder(), interceptor);
    }

    [Benchmark(Baseline = true, Description = "Hand-built pipeline, ExecuteAsync(state, …)")]
    public ValueTask<int> HandBuilt() => _handBuilt.ExecuteAsync(_state, _input);

    [Benchmark(Description = "Generated partial method")]
    public ValueTask<int> GeneratedPartial() => _partial.AddAsync(_input);

    [Benchmark(Description = "Hand-built pipeline, sync Execute(state, …)")]
    public int HandBuiltSync() => _handBuiltSync.Execute(_state, _input);

    [Benchmark(Description = "Generated partial method, sync")]
    public int GeneratedPartialSync() => _partial.Add(_input);

    [Benchmark(Description = "Generated interface decorator")]
    public ValueTask<int> GeneratedDecorator() => _decorator.AddAsync(_input);

    [Benchmark(Description = "Castle DynamicProxy interceptor, same pipeline")]
    public ValueTask<int> CastleProxy() => _proxy.AddAsync(_input);

    /// <summary>Four attempts, each awaited, a failure caught and followed by a backoff wait: RetryBenchmarks' baseline.</summary>
    [Benchmark(Description = "Hand-written loop, no Keel (floor)")]
    public async ValueTask<int> HandWrittenLoop()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _state.AddAsync(_input, CancellationToken.None);
            }
            catch (Exception) when (attempt < 4)
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), CancellationToken.None);
        }
    }
}
