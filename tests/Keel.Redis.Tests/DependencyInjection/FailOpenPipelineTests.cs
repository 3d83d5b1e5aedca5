using System.Diagnostics;
using Keel.Caching;
using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Redis.Tests.DependencyInjection;

/// <summary>
/// Two replicas' pipelines share a redis-server that is killed and restarted mid-test: every call succeeds while it is
/// down, and Redis hits resume after it comes back, without rebuilding either pipeline.
/// </summary>
public sealed class FailOpenPipelineTests
{
    private static readonly TimeSpan s_operationTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_breakDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new();
    private readonly int[] _calls = new int[2];

    [Fact]
    public async Task ExecuteAsync_RedisKilledThenRestarted_EveryCallSucceedsAndHitsResume()
    {
        using var server = new RedisServer();
        await using var first = await ReplicaAsync(server);
        await using var second = await ReplicaAsync(server);
        var model = Levels.NewModel();
        var a = Pipeline(first, model, 0);
        var b = Pipeline(second, model, 1);

        // While Redis is up, the fake clock stands still, so no Redis timeout can pass.
        Assert.Equal(3f, await a.ExecuteAsync([1f, 2f]));
        Assert.Equal(3f, await b.ExecuteAsync([1f, 2f]));
        Assert.Equal([1, 0], _calls);

        server.Kill();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(10f + i, await CallWhileRedisIsDownAsync(b, [10f + i]));
        }

        Assert.Equal([1, 5], _calls);

        await Poll.UntilAsync(() => !Level(first).IsConnected && !Level(second).IsConnected, s_deadline, "both replicas noticing the killed redis-server");
        server.Start();
        await Poll.UntilAsync(() => Level(first).IsConnected && Level(second).IsConnected, s_deadline, "both replicas reconnecting");

        // A level may still fail a first command on the new connection and back off once more: round after round (each
        // past a back-off period), the first replica stores a fresh input and the second asks for it, until the second
        // is answered from Redis — with the same pipelines, never rebuilt.
        var round = 0;
        await Poll.UntilAsync(
            async () =>
            {
                _time.Advance(s_breakDuration);
                float[] input = [100f + round++];
                Assert.Equal(input[0], await a.ExecuteAsync(input));
                var before = _calls[1];
                Assert.Equal(input[0], await b.ExecuteAsync(input));
                return _calls[1] == before;
            },
            static servedFromRedis => servedFromRedis,
            s_deadline,
            "the second replica reading what the first stored after the restart");
        Assert.False(Level(second).IsBackingOff);
    }

    /// <summary>
    /// Starts a call and, while it has not finished, lets the fake clock pass one Redis timeout at a time, in case the
    /// call waits on one; bounded by a real-time deadline.
    /// </summary>
    private async Task<float> CallWhileRedisIsDownAsync(InferencePipeline<float[], float> pipeline, float[] input)
    {
        var call = pipeline.ExecuteAsync(input).AsTask();
        var started = Stopwatch.GetTimestamp();
        while (!call.IsCompleted && Stopwatch.GetElapsedTime(started) < s_deadline)
        {
            _time.Advance(s_operationTimeout);
            try
            {
                await call.WaitAsync(TimeSpan.FromMilliseconds(20));
            }
            catch (TimeoutException)
            {
                // Not finished yet: advance the clock again.
            }
        }

        return await call;
    }

    private InferencePipeline<float[], float> Pipeline(IServiceProvider replica, string model, int index) =>
        replica.GetRequiredService<InferencePipelineFactory>()
            .For<float[], float>(model, "1")
            .UseCacheResult()
            .Build((features, _) =>
            {
                Interlocked.Increment(ref _calls[index]);
                return features.Sum();
            });

    private static RedisCacheLevel Level(IServiceProvider replica) =>
        Assert.IsType<RedisCacheLevel>(replica.GetRequiredService<IDistributedCacheLevel>());

    private async Task<ServiceProvider> ReplicaAsync(RedisServer server)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddKeel().AddRedisCache(options =>
        {
            options.Configuration = server.Configuration;
            options.KeySecret = Levels.Secret;
            options.OperationTimeout = s_operationTimeout;
            options.BreakDuration = s_breakDuration;
        });
        var provider = services.BuildServiceProvider();
        Assert.True(await Level(provider).ConnectAsync());
        return provider;
    }
}
