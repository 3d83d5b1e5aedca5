using FsCheck;
using FsCheck.Fluent;
using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Keel.Redis.Tests;

/// <summary>
/// Through a real Redis: an entry is served only to pipelines of the result type that wrote it, undecodable entries are
/// misses, and strings (lone surrogates included) come back exactly.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SharedEntryTypeTests(SharedRedisServer shared) : IAsyncLifetime
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);
    private readonly RedisServer _server = shared.Server;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKeel().AddRedisCache(options =>
        {
            options.Configuration = _server.Configuration;
            options.KeySecret = Levels.Secret;
            options.OperationTimeout = TimeSpan.FromSeconds(5);
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_EntryOfAnotherResultType_IsAMissAndTheModelAnswers()
    {
        var model = Levels.NewModel();
        await Pipeline<float>(model, static _ => 1.5f).ExecuteAsync([1f]);

        Assert.Equal(new[] { 7f }, await Pipeline<float[]>(model, static _ => [7f]).ExecuteAsync([1f]));
        Assert.Equal("seven", await Pipeline<string>(model, static _ => "seven").ExecuteAsync([1f]));
        Assert.Equal(7, await Pipeline<int>(model, static _ => 7).ExecuteAsync([1f]));
    }

    [Fact]
    public async Task ExecuteAsync_EntryOverwrittenWithGarbageOrJsonNull_IsAMissNeverAnException()
    {
        var model = Levels.NewModel();
        await Pipeline<string>(model, static _ => "first").ExecuteAsync([1f]);
        using var admin = Levels.Admin(_server);
        var key = Assert.Single(await Levels.KeysAsync(admin, $"keel:{model}:*"));

        foreach (var garbage in new[] { "null"u8.ToArray(), [], [0xC1], [0xC1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0xFF] })
        {
            await admin.GetDatabase().StringSetAsync(key, garbage);
            Assert.Equal("model", await Pipeline<string>(model, static _ => "model").ExecuteAsync([1f]));
        }
    }

    [Fact]
    public void ExecuteAsync_RandomStringResults_SurviveTheRedisRoundTripExactly()
    {
        var model = Levels.NewModel();
        var calls = 0;
        var strings = Gen.ArrayOf(Gen.Frequency(
                (3, Gen.Choose('a', 'z').Select(static c => (char)c)),
                (2, Gen.Choose(0xD800, 0xDFFF).Select(static c => (char)c)),
                (1, Gen.Constant('\uFFFD')),
                (2, Gen.Choose(0, 0xFFFF).Select(static c => (char)c))))
            .Select(static chars => new string(chars));
        var index = 0f;

        Check.One(Thousand, Prop.ForAll(strings.ToArbitrary(), value =>
        {
            float[] input = [index++];
            Pipeline<string>(model, _ => { calls++; return value; }).Execute(input);
            var served = Pipeline<string>(model, _ => { calls++; return "model called"; }).Execute(input);
            return string.Equals(value, served, StringComparison.Ordinal);
        }));

        Assert.Equal(1_000, calls);
    }

    private InferencePipeline<float[], TResult> Pipeline<TResult>(string model, Func<float[], TResult> answer) =>
        _host.Services.GetRequiredService<InferencePipelineFactory>()
            .For<float[], TResult>(model, "1")
            .WithOperation("predict")
            .UseCacheResult()
            .Build((features, _) => answer(features));
}
