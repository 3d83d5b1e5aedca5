using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Keel.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Keel.Benchmarks;

/// <summary>
/// A cache hit for a feature vector (64 floats) and an image tensor (1×3×224×224 = 150,528 floats, flattened), with
/// the entry already cached. Every row derives its key from the input on each call, as a service must: Keel and the
/// floor hash the bytes to a 128-bit XxHash; the string-keyed caches get the hash as a 32-character hex string.
/// Only Keel also compares the input with the entry's stored bytes, so a hash collision cannot return another input's
/// result.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private readonly ConcurrentDictionary<UInt128, float> _floor = new();
    private float[] _input = null!;
    private InferencePipeline<float[], float> _keel = null!;
    private InferencePipeline<float[], float> _keelEmpty = null!;
    private HybridCache _hybrid = null!;
    private FusionCache _fusion = null!;
    private MemoryCache _memoryCache = null!;
    private ServiceProvider _services = null!;

    [Params(64, 150_528)]
    public int Elements { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _input = Enumerable.Range(0, Elements).Select(static i => (i % 255) / 255f).ToArray();
        var score = Score(_input);

        _floor[HashInput(_input)] = score;

        _keel = InferencePipeline.For<float[], float>("bench", "1")
            .UseCacheResult(new CacheResultOptions())
            .Build(static (features, _) => new ValueTask<float>(Score(features)));
        await _keel.ExecuteAsync(_input);
        _keelEmpty = InferencePipeline.For<float[], float>("bench", "1").Build(static (_, _) => new ValueTask<float>(0f));

        _services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        _hybrid = _services.GetRequiredService<HybridCache>();
        await _hybrid.GetOrCreateAsync(HexKey(_input), _input, static (features, _) => new ValueTask<float>(Score(features)));

        _fusion = new FusionCache(new FusionCacheOptions());
        await _fusion.GetOrSetAsync<float>(HexKey(_input), (_, _) => Task.FromResult(score));

        _memoryCache = new MemoryCache(new MemoryCacheOptions());
        _memoryCache.Set(HexKey(_input), score);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fusion.Dispose();
        _memoryCache.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "hash + ConcurrentDictionary lookup (floor)")]
    public float Floor() => _floor.TryGetValue(HashInput(_input), out var value) ? value : Score(_input);

    [Benchmark(Description = "Keel UseCacheResult, verified hit")]
    public ValueTask<float> Keel() => _keel.ExecuteAsync(_input);

    [Benchmark(Description = "Keel, no decorators (engine only, no cache)")]
    public ValueTask<float> KeelEngine() => _keelEmpty.ExecuteAsync(_input);

    [Benchmark(Description = "HybridCache GetOrCreateAsync hit")]
    public ValueTask<float> Hybrid() =>
        _hybrid.GetOrCreateAsync(HexKey(_input), _input, static (features, _) => new ValueTask<float>(Score(features)));

    [Benchmark(Description = "FusionCache GetOrSetAsync hit")]
    public ValueTask<float> Fusion() =>
        _fusion.GetOrSetAsync<float>(HexKey(_input), static (_, _) => Task.FromResult(0f));

    [Benchmark(Description = "MemoryCache TryGetValue, string key")]
    public float MemoryCacheHit() => _memoryCache.TryGetValue(HexKey(_input), out float value) ? value : Score(_input);

    private static float Score(float[] features) => features.Sum();

    private static UInt128 HashInput(float[] input) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(input.AsSpan()));

    private static string HexKey(float[] input)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(MemoryMarshal.AsBytes(input.AsSpan()), hash);
        return Convert.ToHexString(hash);
    }
}
