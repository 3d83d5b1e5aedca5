using Keel.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Keel.Redis.Tests.TestSupport;

internal static class Levels
{
    public const string Secret = "keel-tests-key-secret-0123456789-abcdefghij";

    /// <summary>Creates a level on <paramref name="server"/> and waits for its first connection, as a warm replica would have.</summary>
    public static async Task<RedisCacheLevel> CreateConnectedAsync(RedisServer server, TimeProvider? time = null, Action<RedisCacheOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var level = Create(server.Configuration, time, configure, loggerFactory);
        Assert.True(await level.ConnectAsync(), $"The level did not connect to {server.Configuration}.");
        return level;
    }

    public static RedisCacheLevel Create(string configuration, TimeProvider? time = null, Action<RedisCacheOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new RedisCacheOptions
        {
            Configuration = configuration,
            KeySecret = Secret,
            ConnectTimeout = TimeSpan.FromSeconds(2),

            // On the real clock, a generous timeout: tests that are not about timeouts must not fail on a loaded machine.
            // On a FakeTimeProvider the default 50 ms stands, and passes only when a test advances the clock.
            OperationTimeout = time is null ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(50),

            // Reconnect quickly after a restart, so fault tests wait for the socket as little as possible.
            ConfigureConnection = static connection =>
            {
                connection.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
                connection.ReconnectRetryPolicy = new LinearRetry(100);
            },
        };
        configure?.Invoke(options);
        return new RedisCacheLevel(options, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
    }

    public static DistributedCacheKey Key(string model, string input, string version = "1.0.0", string operation = "ScoreAsync") =>
        new(model, version, operation, System.Text.Encoding.UTF8.GetBytes(input));

    public static string NewModel() => "model-" + Guid.NewGuid().ToString("N")[..12];

    public static ConnectionMultiplexer Admin(RedisServer server) =>
        ConnectionMultiplexer.Connect($"{server.Configuration},allowAdmin=true");

    public static async Task<List<string>> KeysAsync(ConnectionMultiplexer admin, string pattern)
    {
        var keys = new List<string>();
        await foreach (var key in admin.GetServers()[0].KeysAsync(pattern: pattern))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
