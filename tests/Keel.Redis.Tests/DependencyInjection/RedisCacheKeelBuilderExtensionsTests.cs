using Keel.Caching;
using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Keel.Redis.Tests.DependencyInjection;

public sealed class RedisCacheKeelBuilderExtensionsTests
{
    [Fact]
    public async Task AddRedisCache_WithoutSecret_HostRefusesToStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeel().AddRedisCache("127.0.0.1:6379");
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Keel:Redis:KeySecret must be set (at least 32 bytes when UTF-8 encoded) when Redis is configured, but was empty.", exception.Failures);
    }

    [Fact]
    public async Task AddRedisCache_SecretAndSettingsFromKeelRedisSection_WinOverCode()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keel:Redis:KeySecret"] = Levels.Secret,
            ["Keel:Redis:OperationTimeout"] = "00:00:00.100",
            ["Keel:Redis:MaxPayloadBytes"] = "4096",
        }).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeel(configuration.GetSection("Keel")).AddRedisCache(options =>
        {
            options.Configuration = "127.0.0.1:6379";
            options.MaxPayloadBytes = 1;
        });
        using var host = builder.Build();

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<RedisCacheOptions>>().Value;

        Assert.Equal("127.0.0.1:6379", options.Configuration);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.OperationTimeout);
        Assert.Equal(4096, options.MaxPayloadBytes);
        Assert.IsType<RedisCacheLevel>(host.Services.GetRequiredService<IDistributedCacheLevel>());
        await host.StopAsync();
    }

    [Fact]
    public async Task AddRedisCache_StartUp_DoesNotConnect_AndTheContainerDisposesTheLevel()
    {
        var services = new ServiceCollection();
        services.AddKeel().AddRedisCache(options =>
        {
            options.Configuration = "127.0.0.1:1";
            options.KeySecret = Levels.Secret;
        });
        services.AddKeel().AddRedisCache("127.0.0.1:2");
        var provider = services.BuildServiceProvider();

        var level = Assert.IsType<RedisCacheLevel>(provider.GetRequiredService<IDistributedCacheLevel>());
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IDistributedCacheLevel));
        Assert.False(level.IsConnected);
        await provider.DisposeAsync();

        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(Levels.Key("m", "x"), CancellationToken.None)).Status);
    }

    [Fact]
    public void AddRedisCache_NullOrEmptyArguments_ThrowNamingTheParameter()
    {
        var builder = new ServiceCollection().AddKeel();

        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => RedisCacheKeelBuilderExtensions.AddRedisCache(null!, "127.0.0.1:6379")).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentException>(() => builder.AddRedisCache(" ")).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => builder.AddRedisCache((Action<RedisCacheOptions>)null!)).ParamName);
    }
}
