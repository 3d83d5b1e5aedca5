using BenchmarkDotNet.Attributes;
using Keel.MemoryGuard;

namespace Keel.Benchmarks;

/// <summary>
/// The all-pass path of the memory guard: memory is fine, so the per-call check is one read of the sampler's latest
/// sample (and, with an estimate, a compare-and-swap to reserve it and an add to return it).
/// </summary>
[MemoryDiagnoser]
public class MemoryGuardBenchmarks
{
    private static readonly Func<int, CancellationToken, ValueTask<int>> s_model = static (input, _) => new ValueTask<int>(input + 1);

    private readonly int _input = 41;
    private InferencePipeline<int, int> _empty = null!;
    private InferencePipeline<int, int> _guard = null!;
    private InferencePipeline<int, int> _admission = null!;

    [GlobalSetup]
    public void Setup()
    {
        _empty = InferencePipeline.For<int, int>("bench", "1").Build(s_model);
        _guard = InferencePipeline.For<int, int>("bench", "1").UseMemoryGuard(new MemoryGuardOptions { MaxMemoryLoad = 1.0 }).Build(s_model);
        _admission = InferencePipeline.For<int, int>("bench", "1")
            .UseMemoryGuard(new MemoryGuardOptions { MaxMemoryLoad = 1.0, EstimatedBytes = 1 << 20 })
            .Build(s_model);
    }

    [Benchmark(Baseline = true, Description = "Keel, no decorators")]
    public ValueTask<int> Undecorated() => _empty.ExecuteAsync(_input);

    [Benchmark(Description = "Keel UseMemoryGuard (load check)")]
    public ValueTask<int> Guard() => _guard.ExecuteAsync(_input);

    [Benchmark(Description = "Keel UseMemoryGuard, EstimatedBytes (reserve + release)")]
    public ValueTask<int> Admission() => _admission.ExecuteAsync(_input);
}
