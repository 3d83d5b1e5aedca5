using Keel.Caching;
using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Redis.Tests.DependencyInjection;

/// <summary>Two containers stand for two replicas of a service: the cache decorator of each uses the same Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class TwoReplicasTests(SharedRedisServer shared)
{
    private readonly RedisServer _server = shared.Server;

    [Fact]
    public async Task ExecuteAsync_SecondReplica_IsServedFromRedisWithoutCallingItsModel()
    {
        var model = Levels.NewModel();
        var calls = new int[2];
        await using var first = await ReplicaAsync();
        await using var second = await ReplicaAsync();
        var firstPipeline = Pipeline(first, model, "1", calls, 0);
        var secondPipeline = Pipeline(second, model, "1", calls, 1);
        var otherVersion = Pipeline(second, model, "2", calls, 1);

        Assert.Equal(3f, await firstPipeline.ExecuteAsync([1f, 2f]));
        Assert.Equal(1, await KeyCountAsync(model)); // the store in Redis is complete when the call returns

        Assert.Equal(3f, await secondPipeline.ExecuteAsync([1f, 2f]));
        Assert.Equal([1, 0], calls);

        Assert.Equal(3f, await otherVersion.ExecuteAsync([1f, 2f]));
        Assert.Equal([1, 1], calls);
    }

    private async Task<ServiceProvider> ReplicaAsync()
    {
        var services = new ServiceCollection();
        services.AddKeel().AddRedisCache(options =>
        {
            options.Configuration = _server.Configuration;
            options.KeySecret = Levels.Secret;
            options.OperationTimeout = TimeSpan.FromSeconds(5);
        });
        var provider = services.BuildServiceProvider();
        var level = Assert.IsType<RedisCacheLevel>(provider.GetRequiredService<IDistributedCacheLevel>());
        Assert.True(await level.ConnectAsync());
        return provider;
    }

    private static InferencePipeline<float[], float> Pipeline(IServiceProvider replica, string model, string version, int[] calls, int index) =>
        replica.GetRequiredService<InferencePipelineFactory>()
            .For<float[], float>(model, version)
            .UseCacheResult()
            .Build((features, _) =>
            {
                Interlocked.Increment(ref calls[index]);
                return features.Sum();
            });

    private async Task<int> KeyCountAsync(string model)
    {
        using var admin = Levels.Admin(_server);
        return (await Levels.KeysAsync(admin, $"keel:{model}:*")).Count;
    }
}
