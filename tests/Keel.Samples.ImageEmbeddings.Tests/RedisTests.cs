using System.Diagnostics;
using Keel.Redis.Tests.TestSupport;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>
/// Two replicas sharing a real redis-server on 127.0.0.1: B answers from A's entry; Redis killed mid-run costs no
/// request; restarted, it is used again.
/// </summary>
public sealed class RedisTests : IAsyncLifetime
{
    private const string RedisHits = "keel_cache_lookups_total";
    private static readonly string[] s_redisHit = ["keel_cache_level=\"redis\"", "keel_cache_result=\"hit\"", "keel_operation=\"embed\""];
    private RedisServer _redis = null!;
    private ServiceProcess _a = null!;
    private ServiceProcess _b = null!;

    public async Task InitializeAsync()
    {
        _redis = new RedisServer();
        var settings = new Dictionary<string, string>
        {
            ["Keel__Redis__Configuration"] = _redis.Configuration,
            ["Keel__Redis__KeySecret"] = "a test secret that is long enough: 0123456789abcdef",
            ["Keel__Redis__BreakDuration"] = "00:00:01",
        };
        _a = await ServiceProcess.StartAsync(settings);
        _b = await ServiceProcess.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task Redis_KilledMidRunAndRestarted_NoRequestFailsAndReplicaBAnswersFromReplicaAsEntryAgain()
    {
        // Shared: B's first request for a picture A embedded is a Redis hit.
        Assert.False((await Embed(_a, seed: 1)).Cached);
        Assert.True((await Embed(_b, seed: 1)).Cached, "replica B did not answer from replica A's Redis entry");
        Assert.Equal(1, await _b.MetricAsync(RedisHits, s_redisHit));

        // Redis gone: every request still answers 200, from the model or the memory level.
        _redis.Kill();
        for (var seed = 2; seed <= 9; seed++)
        {
            Assert.False((await Embed(_a, seed)).Cached);
            Assert.False((await Embed(_b, seed)).Cached, "B cannot have A's entry while Redis is down");
            Assert.True((await Embed(_a, seed)).Cached, "the memory level still answers");
        }

        using (var ready = await _a.Client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);   // Redis is optional: Degraded, still ready
            Assert.Contains("Degraded", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Redis back (empty): within seconds both replicas use it again, and B answers from A's new entries.
        _redis.Start();
        var stopwatch = Stopwatch.StartNew();
        var seedAfter = 100;
        while (true)
        {
            seedAfter++;
            Assert.False((await Embed(_a, seedAfter)).Cached);
            if ((await Embed(_b, seedAfter)).Cached)
            {
                break;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "replica B did not answer from Redis within 30 s of its restart");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(2, await _b.MetricAsync(RedisHits, s_redisHit));
    }

    private static Task<EmbeddingAnswer> Embed(ServiceProcess replica, int seed) =>
        Api.EmbedAsync(replica.Client, TestImages.Noise(seed), "image/png");
}
