using System.Text;
using System.Text.RegularExpressions;
using Keel.Caching;
using Keel.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace Keel.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisCacheLevelTests(SharedRedisServer shared) : IDisposable
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(1);
    private readonly RedisServer _server = shared.Server;
    private readonly ConnectionMultiplexer _admin = Levels.Admin(shared.Server);

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task SetThenGet_SameKey_ReturnsThePayload()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var key = Levels.Key(Levels.NewModel(), "features");
        byte[] payload = [1, 2, 3, 0, 255];

        Assert.True(await level.SetAsync(key, payload, s_ttl, CancellationToken.None));
        var read = await level.GetAsync(key, CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Hit, read.Status);
        Assert.Equal(payload, read.Payload.ToArray());
    }

    [Fact]
    public async Task Get_KeyNeverSet_ReturnsMiss()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);

        var read = await level.GetAsync(Levels.Key(Levels.NewModel(), "never stored"), CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Miss, read.Status);
        Assert.True(read.Payload.IsEmpty);
    }

    [Fact]
    public async Task Set_TimeToLive_IsSetInRedis()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();

        Assert.True(await level.SetAsync(Levels.Key(model, "x"), new byte[] { 7 }, TimeSpan.FromSeconds(30), CancellationToken.None));

        var key = Assert.Single(await Levels.KeysAsync(_admin, $"keel:{model}:*"));
        var ttl = await _admin.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Get_AfterTimeToLive_ReturnsMiss()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var key = Levels.Key(Levels.NewModel(), "short-lived");

        Assert.True(await level.SetAsync(key, new byte[] { 7 }, TimeSpan.FromMilliseconds(200), CancellationToken.None));

        // Redis expires the entry by its own clock: wait (bounded) for it rather than fake it.
        await Poll.UntilAsync(
            async () => (await level.GetAsync(key, CancellationToken.None)).Status,
            static status => status == DistributedCacheStatus.Miss,
            TimeSpan.FromSeconds(10),
            "the entry's expiry in Redis");
    }

    [Fact]
    public async Task Set_SubMillisecondTimeToLive_StillExpires()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();

        Assert.True(await level.SetAsync(Levels.Key(model, "x"), new byte[] { 7 }, TimeSpan.FromTicks(10), CancellationToken.None));

        await Poll.UntilAsync(
            async () => (await Levels.KeysAsync(_admin, $"keel:{model}:*")).Count,
            static count => count == 0,
            TimeSpan.FromSeconds(10),
            "the expiry of an entry stored with a sub-millisecond TTL");
    }

    [Fact]
    public async Task TwoReplicas_SameSecret_ShareEntries()
    {
        await using var first = await Levels.CreateConnectedAsync(_server);
        await using var second = await Levels.CreateConnectedAsync(_server);
        var key = Levels.Key(Levels.NewModel(), "shared input");

        Assert.True(await first.SetAsync(key, "from the first replica"u8.ToArray(), s_ttl, CancellationToken.None));
        var read = await second.GetAsync(key, CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Hit, read.Status);
        Assert.Equal("from the first replica", Encoding.UTF8.GetString(read.Payload.Span));
    }

    [Fact]
    public async Task Get_OtherVersionOrOperation_NeverSharesTheEntry()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();
        Assert.True(await level.SetAsync(Levels.Key(model, "input", version: "1.0.0", operation: "ScoreAsync"), new byte[] { 1 }, s_ttl, CancellationToken.None));

        var otherVersion = await level.GetAsync(Levels.Key(model, "input", version: "1.0.1", operation: "ScoreAsync"), CancellationToken.None);
        var otherOperation = await level.GetAsync(Levels.Key(model, "input", version: "1.0.0", operation: "RankAsync"), CancellationToken.None);
        var otherModel = await level.GetAsync(Levels.Key(model + "x", "input", version: "1.0.0", operation: "ScoreAsync"), CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Miss, otherVersion.Status);
        Assert.Equal(DistributedCacheStatus.Miss, otherOperation.Status);
        Assert.Equal(DistributedCacheStatus.Miss, otherModel.Status);
    }

    [Fact]
    public async Task Key_HasTheDocumentedFormat_AndNeverTheRawInput()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();
        const string Input = "card=4111111111111111";

        Assert.True(await level.SetAsync(Levels.Key(model, Input, version: "3.2.0"), new byte[] { 1 }, s_ttl, CancellationToken.None));

        var key = Assert.Single(await Levels.KeysAsync(_admin, $"keel:{model}:*"));
        Assert.Matches(new Regex($"^keel:{model}:3\\.2\\.0:[0-9a-f]{{64}}$"), key);
        Assert.DoesNotContain("4111111111111111", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_SameInputDifferentSecret_IsDifferent()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        await using var rotated = await Levels.CreateConnectedAsync(_server, configure: static options => options.KeySecret = Levels.Secret + "-rotated");
        var key = Levels.Key(Levels.NewModel(), "input");

        Assert.NotEqual(level.Keys.Create(key), rotated.Keys.Create(key));
        Assert.True(await level.SetAsync(key, new byte[] { 1 }, s_ttl, CancellationToken.None));
        Assert.Equal(DistributedCacheStatus.Miss, (await rotated.GetAsync(key, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Key_NamesWithSeparatorsOrGlobCharacters_AreEscapedAndInvalidatedAlone()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();
        var tricky = model + ":*{tag}";
        Assert.True(await level.SetAsync(Levels.Key(tricky, "input", version: "1:0"), new byte[] { 1 }, s_ttl, CancellationToken.None));
        Assert.True(await level.SetAsync(Levels.Key(model, "input", version: "1"), new byte[] { 2 }, s_ttl, CancellationToken.None));

        var trickyKey = Assert.Single(await Levels.KeysAsync(_admin, $"keel:{model}%3A*"));
        Assert.StartsWith($"keel:{model}%3A%2A%7Btag%7D:1%3A0:", trickyKey, StringComparison.Ordinal);

        await level.InvalidateAsync(model, null, CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Hit, (await level.GetAsync(Levels.Key(tricky, "input", version: "1:0"), CancellationToken.None)).Status);
        Assert.Equal(DistributedCacheStatus.Miss, (await level.GetAsync(Levels.Key(model, "input", version: "1"), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Set_PayloadOverTheCap_IsRefusedAndCounted()
    {
        await using var level = await Levels.CreateConnectedAsync(_server, configure: static options => options.MaxPayloadBytes = 1024);
        var model = Levels.NewModel();

        Assert.True(await level.SetAsync(Levels.Key(model, "at the cap"), new byte[1024], s_ttl, CancellationToken.None));
        var refused = level.SetAsync(Levels.Key(model, "over the cap"), new byte[1025], s_ttl, CancellationToken.None);

        Assert.True(refused.IsCompleted, "An oversized payload is refused without asking Redis.");
        Assert.False(await refused);
        Assert.Equal(1, level.OversizedPayloadCount);
        Assert.Equal(DistributedCacheStatus.Miss, (await level.GetAsync(Levels.Key(model, "over the cap"), CancellationToken.None)).Status);
        Assert.False(level.IsBackingOff);
    }

    [Fact]
    public async Task Invalidate_Model_RemovesEveryVersionOfThatModelOnly()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();
        var neighbour = model + "2";
        for (var i = 0; i < 300; i++)
        {
            Assert.True(await level.SetAsync(Levels.Key(model, $"input {i}", version: i % 2 == 0 ? "1" : "2"), new byte[] { 1 }, s_ttl, CancellationToken.None));
        }

        Assert.True(await level.SetAsync(Levels.Key(neighbour, "input 0", version: "1"), new byte[] { 1 }, s_ttl, CancellationToken.None));

        await level.InvalidateAsync(model, null, CancellationToken.None);

        Assert.Empty(await Levels.KeysAsync(_admin, $"keel:{model}:*"));
        Assert.Single(await Levels.KeysAsync(_admin, $"keel:{neighbour}:*"));
    }

    [Fact]
    public async Task Invalidate_ModelAndVersion_RemovesThatVersionOnly()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var model = Levels.NewModel();
        foreach (var version in new[] { "1", "2", "10" })
        {
            Assert.True(await level.SetAsync(Levels.Key(model, "input", version: version), new byte[] { 1 }, s_ttl, CancellationToken.None));
        }

        await level.InvalidateAsync(model, "1", CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Miss, (await level.GetAsync(Levels.Key(model, "input", version: "1"), CancellationToken.None)).Status);
        Assert.Equal(DistributedCacheStatus.Hit, (await level.GetAsync(Levels.Key(model, "input", version: "2"), CancellationToken.None)).Status);
        Assert.Equal(DistributedCacheStatus.Hit, (await level.GetAsync(Levels.Key(model, "input", version: "10"), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task PublicEntryPoints_InvalidArguments_ThrowNamingTheParameter()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        var key = Levels.Key(Levels.NewModel(), "input");

        Assert.Equal("modelName", (await Assert.ThrowsAsync<ArgumentException>(() => level.InvalidateAsync(" ", null, CancellationToken.None).AsTask())).ParamName);
        Assert.Equal("modelVersion", (await Assert.ThrowsAsync<ArgumentException>(() => level.InvalidateAsync("m", "", CancellationToken.None).AsTask())).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => level.GetAsync(key with { OperationName = "" }, CancellationToken.None)).ParamName);
        var ttl = Assert.Throws<ArgumentOutOfRangeException>(() => level.SetAsync(key, new byte[1], TimeSpan.Zero, CancellationToken.None));
        Assert.Equal("timeToLive", ttl.ParamName);
        Assert.Contains("must be greater than 00:00:00, but was 00:00:00", ttl.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CallerTokenCanceled_Throws()
    {
        await using var level = await Levels.CreateConnectedAsync(_server);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => level.GetAsync(Levels.Key(Levels.NewModel(), "x"), canceled.Token).AsTask());
        Assert.False(level.IsBackingOff);
    }
}
