using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Keel.Benchmarks;

/// <summary>
/// Where a silent full-stack cache hit's time goes: the README's pipeline with nothing listening, and each of its
/// decorators alone in front of the same model (a 64-float dot product), against the pipeline with no decorators.
/// Nothing listens to Keel's meter or activity source in any row.
/// </summary>
[MemoryDiagnoser]
public class FullStackPartsBenchmarks
{
    private const int Elements = 64;

    private static readonly float[] s_weights = Enumerable.Range(0, Elements).Select(static i => ((i * 37) % 101) / 101f - 0.5f).ToArray();

    private static readonly Func<float[], CancellationToken, ValueTask<float>> s_model =
        static (x, _) => new ValueTask<float>(TensorPrimitives.Dot(x, s_weights));

    private readonly float[] _input = Enumerable.Range(0, Elements).Select(static i => (i % 255) / 255f).ToArray();
    private InferencePipeline<float[], float> _empty = null!;
    private InferencePipeline<float[], float> _monitor = null!;
    private InferencePipeline<float[], float> _validate = null!;
    private InferencePipeline<float[], float> _cache = null!;
    private InferencePipeline<float[], float> _memoryGuard = null!;
    private InferencePipeline<float[], float> _retry = null!;
    private InferencePipeline<float[], float> _fullStack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _empty = For().Build(s_model);
        _monitor = For().UseMonitor().Build(s_model);
        _validate = For().UseValidateInput("features", static v => v.Shape(Elements).Finite().Within(0, 1)).Build(s_model);
        _cache = For().UseCacheResult(TimeSpan.FromSeconds(30)).Build(s_model);
        _memoryGuard = For().UseMemoryGuard(0.90).Build(s_model);
        _retry = For().UseRetry(4, TimeSpan.FromSeconds(1)).Build(s_model);
        _fullStack = For()
            .UseMonitor()
            .UseValidateInput("features", static v => v.Shape(Elements).Finite().Within(0, 1))
            .UseCacheResult(TimeSpan.FromSeconds(30))
            .UseMemoryGuard(0.90)
            .UseRetry(4, TimeSpan.FromSeconds(1))
            .Build(s_model);
        _ = _cache.ExecuteAsync(_input).Result;
        _ = _fullStack.ExecuteAsync(_input).Result;
    }

    [Benchmark(Baseline = true, Description = "Empty pipeline")]
    public float Empty() => _empty.ExecuteAsync(_input).Result;

    [Benchmark(Description = "Monitor alone, nothing listening")]
    public float Monitor() => _monitor.ExecuteAsync(_input).Result;

    [Benchmark(Description = "ValidateInput alone (Shape, Finite, Within of 64 floats)")]
    public float Validate() => _validate.ExecuteAsync(_input).Result;

    [Benchmark(Description = "CacheResult alone, hit")]
    public float Cache() => _cache.ExecuteAsync(_input).Result;

    [Benchmark(Description = "MemoryGuard alone")]
    public float MemoryGuard() => _memoryGuard.ExecuteAsync(_input).Result;

    [Benchmark(Description = "Retry alone")]
    public float Retry() => _retry.ExecuteAsync(_input).Result;

    [Benchmark(Description = "Full stack, cache hit, nothing listening")]
    public float FullStack() => _fullStack.ExecuteAsync(_input).Result;

    private static InferencePipelineBuilder<float[], float> For() => InferencePipeline.For<float[], float>("fraud", "3.2.0");
}
