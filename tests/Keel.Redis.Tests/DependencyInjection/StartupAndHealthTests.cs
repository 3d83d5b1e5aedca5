using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Keel.Redis.Tests.DependencyInjection;

/// <summary>Replicas connect when their host starts, can use the application's own connection, and report Redis's state.</summary>
[Collection(RedisCollection.Name)]
public sealed class StartupAndHealthTests(SharedRedisServer shared)
{
    private readonly RedisServer _server = shared.Server;

    [Fact]
    public async Task StartAsync_TwoReplicas_ShareAnEntryFromTheirFirstCalls()
    {
        var model = Levels.NewModel();
        var calls = new int[2];
        using var first = await StartReplicaAsync(services => Configure(services, _server.Configuration));
        using var second = await StartReplicaAsync(services => Configure(services, _server.Configuration));

        Assert.Equal(3f, await Pipeline(first, model, calls, 0).ExecuteAsync([1f, 2f]));
        Assert.Equal(3f, await Pipeline(second, model, calls, 1).ExecuteAsync([1f, 2f]));

        Assert.Equal([1, 0], calls);
    }

    [Fact]
    public async Task AddRedisCache_ConnectionInTheContainer_IsUsedAndLeftOpenForItsOwner()
    {
        var model = Levels.NewModel();
        var calls = new int[2];
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_server.Configuration);
        using (var first = await StartReplicaAsync(services =>
        {
            services.AddSingleton<IConnectionMultiplexer>(connection);
            Configure(services, configuration: null);
        }))
        {
            await Pipeline(first, model, calls, 0).ExecuteAsync([1f, 2f]);
        }

        using var second = await StartReplicaAsync(services => Configure(services, _server.Configuration));
        await Pipeline(second, model, calls, 1).ExecuteAsync([1f, 2f]);

        Assert.Equal([1, 0], calls);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task CheckHealthAsync_ConnectedThenUnreachable_HealthyThenDegradedNeverUnhealthy()
    {
        using var up = await StartReplicaAsync(services => Configure(services, _server.Configuration));
        using var down = await StartReplicaAsync(services => Configure(services, "127.0.0.1:1,connectTimeout=200"));

        var healthy = await up.Services.GetRequiredService<RedisCacheHealthCheck>().CheckHealthAsync(new HealthCheckContext());
        var degraded = await down.Services.GetRequiredService<RedisCacheHealthCheck>().CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, HealthStatus.Degraded), (healthy.Status, degraded.Status));
        Assert.Equal("Redis cannot be reached; the result cache runs from memory only and reconnects by itself.", degraded.Description);
    }

    private static void Configure(IServiceCollection services, string? configuration) =>
        services.AddKeel().AddRedisCache(options =>
        {
            options.Configuration = configuration;
            options.KeySecret = Levels.Secret;
            options.OperationTimeout = TimeSpan.FromSeconds(5);
            options.ConnectTimeout = TimeSpan.FromSeconds(5);
        });

    private static async Task<IHost> StartReplicaAsync(Action<IServiceCollection> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configure(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static InferencePipeline<float[], float> Pipeline(IHost replica, string model, int[] calls, int index) =>
        replica.Services.GetRequiredService<InferencePipelineFactory>()
            .For<float[], float>(model, "1")
            .UseCacheResult()
            .Build((features, _) =>
            {
                Interlocked.Increment(ref calls[index]);
                return features.Sum();
            });
}
