using BenchmarkDotNet.Attributes;
using Castle.DynamicProxy;

namespace Keel.Benchmarks;

/// <summary>
/// The README's five decorators (monitor, validate, cache, memory guard, retry) on a cache hit, nothing listening,
/// written five ways around the same model (<see cref="FraudScoring"/>): the pipeline built by hand and called with
/// state (baseline), the generated partial method, the generated interface decorator, a Castle DynamicProxy
/// interceptor running the same pipeline, and the same work written inline without Keel. Every cache is filled in
/// <c>[GlobalSetup]</c>, so every row hits from its first call.
/// </summary>
[MemoryDiagnoser]
public class GeneratedBenchmarks
{
    private readonly float[] _input = Enumerable.Range(0, FraudScoring.Elements).Select(static i => (i % 255) / 255f).ToArray();
    private readonly FraudScorer _state = new();
    private readonly GeneratedFraudModel _partial = new();
    private readonly IFraudScorer _decorator = new FraudScorerDecorator(new FraudScorer());
    private readonly InlineFraudModel _inline = new();
    private InferencePipeline<FraudScorer, float[], float> _handBuilt = null!;
    private IFraudScorer _proxy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handBuilt = FraudScoring.BuildPipeline<FraudScorer>(static (scorer, features, cancellationToken) => scorer.ScoreAsync(features, cancellationToken));
        var interceptor = new KeelInterceptor<float[], float>(FraudScoring.BuildPipeline<ProxiedCall<float>>(static (call, _, _) => call.Proceed()));
        _proxy = new ProxyGenerator().CreateInterfaceProxyWithTarget<IFraudScorer>(new FraudScorer(), interceptor);

        var expected = FraudScoring.Score(_input);
        float[] first =
        [
            _handBuilt.ExecuteAsync(_state, _input).AsTask().GetAwaiter().GetResult(),
            _partial.ScoreAsync(_input).AsTask().GetAwaiter().GetResult(),
            _decorator.ScoreAsync(_input).AsTask().GetAwaiter().GetResult(),
            _proxy.ScoreAsync(_input).AsTask().GetAwaiter().GetResult(),
            _inline.ScoreAsync(_input).AsTask().GetAwaiter().GetResult(),
        ];
        if (first.Any(r => r != expected))
        {
            throw new InvalidOperationException($"The rows disagree: expected {expected}, got {string.Join(", ", first)}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _inline.Dispose();

    [Benchmark(Baseline = true, Description = "Hand-built pipeline, ExecuteAsync(state, …)")]
    public ValueTask<float> HandBuilt() => _handBuilt.ExecuteAsync(_state, _input);

    [Benchmark(Description = "Generated partial method")]
    public ValueTask<float> GeneratedPartial() => _partial.ScoreAsync(_input);

    [Benchmark(Description = "Generated interface decorator")]
    public ValueTask<float> GeneratedDecorator() => _decorator.ScoreAsync(_input);

    [Benchmark(Description = "Castle DynamicProxy interceptor, same pipeline")]
    public ValueTask<float> CastleProxy() => _proxy.ScoreAsync(_input);

    [Benchmark(Description = "Inline, no Keel (floor)")]
    public ValueTask<float> Inline() => _inline.ScoreAsync(_input);
}
