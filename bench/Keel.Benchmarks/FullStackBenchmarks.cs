using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Keel.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Keel.Benchmarks;

/// <summary>
/// The README's five decorators (monitor, validate, cache, memory guard, retry) on a cache hit and on a miss, each
/// against a hand-written floor that does the least a service must do for the same outcome: hash the input, look it up
/// (or store a copy of it and run the model), and record one duration histogram measurement with Keel's four tags.
/// The model is a 64-float dot product with a fixed weight vector. Each benchmark runs in a process of its own, so the
/// OpenTelemetry meter provider is created only for the rows named "OTel".
/// </summary>
[MemoryDiagnoser]
public class FullStackBenchmarks
{
    private const int Elements = 64;

    /// <summary>How many entries the miss floor holds before it starts over: Keel's default <c>MaxEntries</c>.</summary>
    private const int MissFloorCapacity = 10_000;

    /// <summary>The bit pattern of 1.0f: every non-negative bit pattern below it is a finite float in [0, 1).</summary>
    private const int DistinctFirstElements = 0x3F80_0000;

    private static readonly float[] s_weights = Enumerable.Range(0, Elements).Select(static i => ((i * 37) % 101) / 101f - 0.5f).ToArray();

    private static readonly Func<float[], CancellationToken, ValueTask<float>> s_model =
        static (x, _) => new ValueTask<float>(TensorPrimitives.Dot(x, s_weights));

    private static readonly KeyValuePair<string, object?>[] s_hitTags =
    [
        new("keel.model", "fraud"),
        new("keel.model.version", "3.2.0"),
        new("keel.operation", InferencePipeline.DefaultOperationName),
        new("keel.outcome", "cache_hit"),
    ];

    private static readonly KeyValuePair<string, object?>[] s_missTags =
    [
        new("keel.model", "fraud"),
        new("keel.model.version", "3.2.0"),
        new("keel.operation", InferencePipeline.DefaultOperationName),
        new("keel.outcome", "success"),
    ];

    private readonly float[] _input = Enumerable.Range(0, Elements).Select(static i => (i % 255) / 255f).ToArray();
    private readonly float[] _missInput = Enumerable.Range(0, Elements).Select(static i => ((i * 7) % 255) / 255f).ToArray();
    private readonly ConcurrentDictionary<UInt128, float> _hitFloor = new();
    private readonly ConcurrentDictionary<UInt128, byte[]> _missFloor = new();
    private int _counter;
    private int _missFloorCount;

    private Meter _floorMeter = null!;
    private Histogram<double> _floorDuration = null!;
    private InferencePipeline<float[], float> _fullStack = null!;
    private InferencePipeline<float[], float> _cacheOnly = null!;
    private InferencePipeline<float[], float> _empty = null!;
    private MeterProvider? _meterProvider;

    [GlobalSetup(Targets = [nameof(HashAndLookup), nameof(FullStackHitSilent), nameof(BareModel), nameof(CacheHitAlone), nameof(EmptyPipeline)])]
    public void Setup()
    {
        _floorMeter = new Meter("Keel.Floor");
        _floorDuration = _floorMeter.CreateHistogram<double>("keel.floor.duration", "s");
        _hitFloor[Hash(_input)] = s_model(_input, default).Result;

        _fullStack = InferencePipeline.For<float[], float>("fraud", "3.2.0")
            .UseMonitor()
            .UseValidateInput("features", v => v.Shape(Elements).Finite().Within(0, 1))
            .UseCacheResult(TimeSpan.FromSeconds(30))
            .UseMemoryGuard(0.90)
            .UseRetry(4, TimeSpan.FromSeconds(1))
            .Build(s_model);
        _cacheOnly = InferencePipeline.For<float[], float>("fraud", "3.2.0").UseCacheResult(TimeSpan.FromSeconds(30)).Build(s_model);
        _empty = InferencePipeline.For<float[], float>("fraud", "3.2.0").Build(s_model);

        // Fill the caches so the hit rows hit from the first call.
        _fullStack.ExecuteAsync(_input).AsTask().GetAwaiter().GetResult();
        _cacheOnly.ExecuteAsync(_input).AsTask().GetAwaiter().GetResult();
    }

    [GlobalSetup(Targets = [nameof(FloorOTel), nameof(FullStackHitOTel), nameof(MissFloorOTel), nameof(FullStackMissOTel)])]
    public void SetupWithMeterProvider()
    {
        Setup();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(KeelDiagnostics.MeterName, "Keel.Floor")
            .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), exportIntervalMilliseconds: 60_000))
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meterProvider?.Dispose();
        _floorMeter?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor, OTel")]
    public float FloorOTel()
    {
        var start = Stopwatch.GetTimestamp();
        _hitFloor.TryGetValue(Hash(_input), out var result);
        _floorDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, s_hitTags.AsSpan());
        return result;
    }

    [Benchmark(Description = "Full stack, cache hit, OTel")]
    public ValueTask<float> FullStackHitOTel() => _fullStack.ExecuteAsync(_input);

    [Benchmark(Description = "Hash + lookup")]
    public float HashAndLookup()
    {
        _hitFloor.TryGetValue(Hash(_input), out var result);
        return result;
    }

    [Benchmark(Description = "Full stack, cache hit, nothing listening")]
    public ValueTask<float> FullStackHitSilent() => _fullStack.ExecuteAsync(_input);

    [Benchmark(Description = "Miss floor, OTel")]
    public float MissFloorOTel()
    {
        var input = NextMissInput();
        var start = Stopwatch.GetTimestamp();
        var bytes = MemoryMarshal.AsBytes(input.AsSpan());
        var key = XxHash128.HashToUInt128(bytes);
        if (++_missFloorCount > MissFloorCapacity)
        {
            _missFloor.Clear();
            _missFloorCount = 1;
        }

        _missFloor.TryAdd(key, bytes.ToArray());
        var result = s_model(input, default).Result;
        _floorDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, s_missTags.AsSpan());
        return result;
    }

    [Benchmark(Description = "Full stack, miss, OTel")]
    public ValueTask<float> FullStackMissOTel() => _fullStack.ExecuteAsync(NextMissInput());

    [Benchmark(Description = "Bare model")]
    public ValueTask<float> BareModel() => s_model(_input, default);

    [Benchmark(Description = "Cache hit alone")]
    public ValueTask<float> CacheHitAlone() => _cacheOnly.ExecuteAsync(_input);

    [Benchmark(Description = "Empty pipeline")]
    public ValueTask<float> EmptyPipeline() => _empty.ExecuteAsync(_input);

    private static UInt128 Hash(float[] input) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(input.AsSpan()));

    /// <summary>
    /// The same array with a first element no earlier call has used: the counter's value as a float's bit pattern,
    /// which stays finite and in [0, 1) for about a billion calls, so every call is a miss and passes validation.
    /// </summary>
    private float[] NextMissInput()
    {
        _counter = (_counter + 1) % DistinctFirstElements;
        _missInput[0] = BitConverter.Int32BitsToSingle(_counter);
        return _missInput;
    }

    /// <summary>An exporter that drops every batch: the cost measured is recording and aggregating, not exporting.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
