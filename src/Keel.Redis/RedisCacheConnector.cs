using Keel.Caching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Redis;

/// <summary>
/// Connects the Redis level when the host starts, so a replica's first calls use Redis instead of answering
/// <see cref="DistributedCacheStatus.Unavailable"/> while a lazy first connection is being made. Start-up waits at most
/// <see cref="RedisCacheOptions.ConnectTimeout"/>; when Redis cannot be reached the host starts anyway (the cache is
/// optional) and StackExchange.Redis keeps trying in the background.
/// </summary>
internal sealed class RedisCacheConnector(IDistributedCacheLevel level, TimeProvider timeProvider, ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Keel.Redis");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (level is not RedisCacheLevel redis)
        {
            return;
        }

        bool connected;
        try
        {
            connected = await redis.ConnectAsync(cancellationToken).WaitAsync(redis.ConnectTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            connected = false;
        }

        if (!connected)
        {
            Log.RedisNotConnectedAtStartup(_logger, redis.EndPoints, (long)redis.ConnectTimeout.TotalMilliseconds);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
