using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Keel.Caching;
using Keel.Redis;

namespace Keel.Benchmarks;

/// <summary>
/// The cost of naming a Redis entry, paid only on an in-memory miss: Keel's whole key (keyed BLAKE3 over model,
/// version, operation and input, as lower-case hex after the escaped prefix) against HMAC-SHA256 of the same bytes
/// (the other keyed hash the design allowed) and XxHash128 (fast, but not keyed: a floor, not an option).
/// Inputs: 256 bytes (a <c>float[64]</c>) and 602,112 bytes (a 1×3×224×224 <c>float</c> tensor).
/// </summary>
[MemoryDiagnoser]
public class RedisKeyBenchmarks
{
    private static readonly byte[] s_hmacKey = RandomNumberGenerator.GetBytes(32);
    private RedisCacheKeys _keys = null!;
    private DistributedCacheKey _key;

    [Params(256, 602_112)]
    public int InputBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = new RedisCacheKeys("benchmark-key-secret-0123456789-abcdefghij");
        var input = new byte[InputBytes];
        new Random(42).NextBytes(input);
        _key = new DistributedCacheKey("fraud", "3.2.0", "ScoreAsync", input);
    }

    [Benchmark(Baseline = true, Description = "HMAC-SHA256 of the input")]
    public byte[] HmacSha256() => HMACSHA256.HashData(s_hmacKey, _key.InputKey.Span);

    [Benchmark(Description = "Keel key (keyed BLAKE3 + hex)")]
    public string KeelKey() => _keys.Create(_key);

    [Benchmark(Description = "XxHash128 of the input (unkeyed floor)")]
    public UInt128 XxHash() => XxHash128.HashToUInt128(_key.InputKey.Span);
}
