using Keel.Caching;
using Keel.Redis.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Keel.Redis.Tests;

/// <summary>Fail-open: each test kills, pauses or withholds its own redis-server.</summary>
public sealed class RedisCacheLevelFaultTests
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_operationTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_breakDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_socketDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RedisKilled_CallsFailOpen_BackOff_ThenHitsResumeOnTheSameLevel()
    {
        using var server = new RedisServer();
        var time = new FakeTimeProvider();
        var logs = new CollectingLoggerFactory();
        await using var level = await Levels.CreateConnectedAsync(server, time, loggerFactory: logs);
        var key = Levels.Key("fraud", "features");
        Assert.True(await level.SetAsync(key, new byte[] { 42 }, s_ttl, CancellationToken.None));

        server.Kill();

        // The first call after the crash either fails at once or waits for its timeout, never longer and never throws.
        var pending = level.GetAsync(key, CancellationToken.None).AsTask();
        time.Advance(s_operationTimeout);
        Assert.Equal(DistributedCacheStatus.Unavailable, (await pending.WaitAsync(s_socketDeadline)).Status);
        Assert.True(level.IsBackingOff);

        // While backing off, calls answer at once without asking Redis.
        var failures = level.FailureCount;
        var store = level.SetAsync(key, new byte[] { 43 }, s_ttl, CancellationToken.None);
        var read = level.GetAsync(key, CancellationToken.None);
        Assert.True(store.IsCompleted && read.IsCompleted);
        Assert.False(await store);
        Assert.Equal(DistributedCacheStatus.Unavailable, (await read).Status);

        // Redis comes back (empty, persistence is off) and StackExchange.Redis reconnects by itself...
        await Poll.UntilAsync(() => !level.IsConnected, s_socketDeadline, "noticing the killed redis-server");
        server.Start();
        await Poll.UntilAsync(() => level.IsConnected, s_socketDeadline, "reconnecting to the restarted redis-server");

        // ...but until the back-off has passed, the level still does not ask it.
        var skipped = level.SkippedCount;
        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(key, CancellationToken.None)).Status);
        Assert.Equal(skipped + 1, level.SkippedCount);
        Assert.Equal(failures, level.FailureCount);

        time.Advance(s_breakDuration);
        Assert.True(await level.SetAsync(key, new byte[] { 44 }, s_ttl, CancellationToken.None));
        var hit = await level.GetAsync(key, CancellationToken.None);

        Assert.Equal(DistributedCacheStatus.Hit, hit.Status);
        Assert.Equal(new byte[] { 44 }, hit.Payload.ToArray());
        Assert.False(level.IsBackingOff);
        var warning = Assert.Single(logs.WithEvent("RedisUnavailable"));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(6000, warning.EventId.Id);
        var recovered = Assert.Single(logs.WithEvent("RedisRecovered"));
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.DoesNotContain(logs.Entries, entry => entry.Message.Contains(Levels.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisStillDown_AfterBackOff_OneProbeFailsAndBacksOffAgain()
    {
        using var server = new RedisServer();
        var time = new FakeTimeProvider();
        var logs = new CollectingLoggerFactory();
        await using var level = await Levels.CreateConnectedAsync(server, time, loggerFactory: logs);
        var key = Levels.Key("fraud", "features");
        server.Kill();
        await Poll.UntilAsync(() => !level.IsConnected, s_socketDeadline, "noticing the killed redis-server");

        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(key, CancellationToken.None)).Status);
        var failures = level.FailureCount;
        time.Advance(s_breakDuration);
        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(key, CancellationToken.None)).Status);
        Assert.Equal(failures + 1, level.FailureCount);
        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(key, CancellationToken.None)).Status);
        Assert.Equal(failures + 1, level.FailureCount);

        Assert.True(level.IsBackingOff);
        Assert.Single(logs.WithEvent("RedisUnavailable"));
        Assert.Single(logs.WithEvent("RedisStillUnavailable"));
    }

    [Fact]
    public async Task SlowRedis_GetAnswersUnavailableWhenTheTimeoutPasses()
    {
        using var server = new RedisServer();
        using var admin = Levels.Admin(server);
        var time = new FakeTimeProvider();
        await using var level = await Levels.CreateConnectedAsync(server, time);
        var key = Levels.Key("fraud", "features");
        Assert.True(await level.SetAsync(key, new byte[] { 42 }, s_ttl, CancellationToken.None));

        // Redis stops answering every client for 2 s, as a slow or overloaded server would.
        await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", 2000, "ALL");
        var pending = level.GetAsync(key, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        time.Advance(s_operationTimeout);
        var read = await pending.WaitAsync(s_socketDeadline);

        Assert.Equal(DistributedCacheStatus.Unavailable, read.Status);
        Assert.True(level.IsBackingOff);
    }

    [Fact]
    public async Task SlowRedis_CallerCancels_ThrowsWithoutBackingOff()
    {
        using var server = new RedisServer();
        using var admin = Levels.Admin(server);
        var time = new FakeTimeProvider();
        await using var level = await Levels.CreateConnectedAsync(server, time);
        using var cancellation = new CancellationTokenSource();
        await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", 2000, "ALL");

        var pending = level.GetAsync(Levels.Key("fraud", "x"), cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(s_socketDeadline));
        Assert.False(level.IsBackingOff);
    }

    [Fact]
    public async Task RedisDownAtStart_CallsGoOn_AndHitsStartWhenItComesUp()
    {
        using var server = new RedisServer();
        server.Kill();
        var time = new FakeTimeProvider();
        await using var level = Levels.Create(server.Configuration, time, static options => options.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        var key = Levels.Key("fraud", "features");

        // Connecting happens in the background; no call waits for it.
        var first = level.GetAsync(key, CancellationToken.None);
        Assert.True(first.IsCompleted);
        Assert.Equal(DistributedCacheStatus.Unavailable, (await first).Status);
        Assert.False(await level.ConnectAsync());

        server.Start();
        await Poll.UntilAsync(() => level.IsConnected, s_socketDeadline, "connecting to redis-server once it is up");
        time.Advance(s_breakDuration);

        Assert.True(await level.SetAsync(key, new byte[] { 42 }, s_ttl, CancellationToken.None));
        Assert.Equal(DistributedCacheStatus.Hit, (await level.GetAsync(key, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Invalidate_RedisDown_ThrowsInvalidOperationException()
    {
        using var server = new RedisServer();
        await using var level = await Levels.CreateConnectedAsync(server);
        server.Kill();
        await Poll.UntilAsync(() => !level.IsConnected, s_socketDeadline, "noticing the killed redis-server");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => level.InvalidateAsync("fraud", "3.2.0", CancellationToken.None).AsTask());

        Assert.StartsWith($"The Redis entries of model 'fraud' version '3.2.0' could not be removed: Redis at 127.0.0.1:{server.Port} could not be reached.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Levels.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ClosesTheConnection_AndLaterCallsAnswerUnavailable()
    {
        using var server = new RedisServer();
        using var admin = Levels.Admin(server);
        var level = await Levels.CreateConnectedAsync(server);
        var before = await ClientCountAsync(admin);

        await level.DisposeAsync();

        await Poll.UntilAsync(async () => await ClientCountAsync(admin), count => count < before, s_socketDeadline, "the level's connection closing");
        Assert.Equal(DistributedCacheStatus.Unavailable, (await level.GetAsync(Levels.Key("fraud", "x"), CancellationToken.None)).Status);
    }

    private static async Task<int> ClientCountAsync(ConnectionMultiplexer admin) =>
        (await admin.GetServers()[0].ClientListAsync()).Length;
}
