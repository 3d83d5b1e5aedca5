using Keel.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Caching;

public class CacheProfileTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CountingModel _model = new();

    [Fact]
    public async Task UseCache_ConfiguredProfile_UsesItsTimeToLiveAndTheContainersClock()
    {
        using var provider = CreateSut(new() { ["Keel:CacheResult:embeddings:TimeToLive"] = "00:00:10" });
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>()
            .For<float[], float>("embedder", "1").UseCacheResult("embeddings").Build(_model.ScoreAsync);

        await pipeline.ExecuteAsync([1f]);
        _time.Advance(TimeSpan.FromSeconds(9));
        await pipeline.ExecuteAsync([1f]);
        _time.Advance(TimeSpan.FromSeconds(1));
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(2, _model.Calls);
    }

    [Fact]
    public void AddKeel_InvalidCacheProfile_FailsStartupValidationNamingTheKey()
    {
        using var provider = CreateSut(new()
        {
            ["Keel:CacheResult:embeddings:TimeToLive"] = "-00:00:01",
            ["Keel:CacheResult:embeddings:MaxEntries"] = "0",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "Keel:CacheResult:embeddings:TimeToLive must be greater than 00:00:00 and at most 30.00:00:00, but was -00:00:01.",
                "Keel:CacheResult:embeddings:MaxEntries must be between 3 and 10000000, but was 0.",
            ],
            exception.Failures);
    }

    [Fact]
    public void ConfigureCache_CodeDefaultsThenConfiguration_ConfigurationWins()
    {
        using var provider = CreateSut(
            new() { ["Keel:CacheResult:embeddings:MaxEntries"] = "50" },
            keel => keel.ConfigureCacheResult("embeddings", o =>
            {
                o.MaxEntries = 5;
                o.MaxStale = TimeSpan.FromMinutes(1);
            }));

        var options = provider.GetRequiredService<IOptionsMonitor<CacheResultOptions>>().Get("embeddings");

        Assert.Equal((50, TimeSpan.FromMinutes(1)), (options.MaxEntries, options.MaxStale));
    }

    [Fact]
    public async Task UseCache_SharedLevelRegistered_SecondReplicaIsAnsweredFromIt()
    {
        var shared = new FakeDistributedLevel();
        using var replicaA = CreateSut(new(), shared: shared);
        using var replicaB = CreateSut(new(), shared: shared);
        var a = replicaA.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync);
        var b = replicaB.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync);

        Assert.Equal(3f, await a.ExecuteAsync([1f, 2f]));
        Assert.Equal(3f, await b.ExecuteAsync([1f, 2f]));
        Assert.Equal(3f, await b.ExecuteAsync([1f, 2f]));

        Assert.Equal((1, 1, 2), (_model.Calls, shared.Sets, shared.Gets));
        Assert.Equal(TimeSpan.FromMinutes(5), shared.LastTimeToLive);
    }

    [Fact]
    public async Task UseCache_SharedLevelDifferentVersions_NeverShare()
    {
        var shared = new FakeDistributedLevel();
        using var provider = CreateSut(new(), shared: shared);
        var factory = provider.GetRequiredService<InferencePipelineFactory>();
        var v3 = factory.For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync);
        var v4 = factory.For<float[], float>("fraud", "4").UseCacheResult().Build(_model.ScoreAsync);

        await v3.ExecuteAsync([1f]);
        await v4.ExecuteAsync([1f]);

        Assert.Equal((2, 2), (_model.Calls, shared.Count));
    }

    [Fact]
    public async Task UseCache_SharedLevelUnavailable_CallsModelAndStillCachesInMemory()
    {
        var shared = new FakeDistributedLevel { Available = false };
        using var provider = CreateSut(new(), shared: shared);
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync);

        Assert.Equal(1f, await pipeline.ExecuteAsync([1f]));
        Assert.Equal(1f, await pipeline.ExecuteAsync([1f]));

        Assert.Equal((1, 1, 1), (_model.Calls, shared.Gets, shared.Sets));
    }

    [Fact]
    public async Task UseCache_SharedEntryUnreadable_CallsModelInstead()
    {
        var shared = new FakeDistributedLevel();
        using var replicaA = CreateSut(new(), shared: shared);
        using var replicaB = CreateSut(new(), shared: shared);
        await replicaA.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync).ExecuteAsync([1f]);
        shared.Corrupt();

        var result = await replicaB.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync).ExecuteAsync([1f]);

        Assert.Equal((1f, 2), (result, _model.Calls));
    }

    [Fact]
    public void UseCache_SharedLevelAndResultWithoutSerializer_RefusedAtBuildNamingTheRemedy()
    {
        using var provider = CreateSut(new(), shared: new FakeDistributedLevel());
        var builder = provider.GetRequiredService<InferencePipelineFactory>().For<float[], Prediction>("fraud", "3").UseCacheResult();

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => new Prediction("ok", 1f)));

        Assert.Equal(
            "CacheResult cannot store results of type Keel.Tests.Caching.Prediction in the shared cache level: give the builder a serializer with WithResultSerializer(ResultSerializer.Json(...)), or set UseDistributedLevel to false for this profile.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task UseCache_SharedLevelWithJsonSerializer_SharesRecords()
    {
        var shared = new FakeDistributedLevel();
        using var replicaA = CreateSut(new(), shared: shared);
        using var replicaB = CreateSut(new(), shared: shared);
        var calls = 0;
        InferencePipeline<float[], Prediction> Build(ServiceProvider provider) =>
            provider.GetRequiredService<InferencePipelineFactory>().For<float[], Prediction>("fraud", "3")
                .WithResultSerializer(ResultSerializer.Json(TestJsonContext.Default.Prediction))
                .UseCacheResult()
                .Build((features, _) => new Prediction("score", features.Sum() + (++calls * 0)));

        var first = await Build(replicaA).ExecuteAsync([0.5f]);
        var second = await Build(replicaB).ExecuteAsync([0.5f]);

        Assert.Equal((first, 1), (second, calls));
    }

    [Fact]
    public async Task UseCache_UseDistributedLevelOff_NeverTouchesSharedLevel()
    {
        var shared = new FakeDistributedLevel();
        using var provider = CreateSut(new() { ["Keel:CacheResult:local:UseDistributedLevel"] = "false" }, shared: shared);
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult("local").Build(_model.ScoreAsync);

        await pipeline.ExecuteAsync([1f]);

        Assert.Equal((0, 0), (shared.Gets, shared.Sets));
    }

    [Fact]
    public async Task CacheInvalidator_FromContainer_ClearsMemoryAndSharedLevels()
    {
        var shared = new FakeDistributedLevel();
        using var provider = CreateSut(new(), shared: shared);
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<float[], float>("fraud", "3").UseCacheResult().Build(_model.ScoreAsync);
        await pipeline.ExecuteAsync([1f]);

        await provider.GetRequiredService<CacheInvalidator>().InvalidateAsync("fraud", "3");
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(2, _model.Calls);
    }

    private ServiceProvider CreateSut(Dictionary<string, string?> settings, Action<IKeelBuilder>? configure = null, FakeDistributedLevel? shared = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        if (shared is not null)
        {
            services.AddSingleton<IDistributedCacheLevel>(shared);
        }

        var keel = services.AddKeel(configuration.GetSection("Keel"));
        configure?.Invoke(keel);
        return services.BuildServiceProvider();
    }
}
