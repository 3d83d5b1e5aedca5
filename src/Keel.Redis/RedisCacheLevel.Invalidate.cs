using StackExchange.Redis;

namespace Keel.Redis;

internal sealed partial class RedisCacheLevel
{
    private const int InvalidationBatchSize = 256;

    /// <inheritdoc />
    /// <remarks>
    /// Scans every primary with <c>SCAN MATCH keel:{model}:[{version}:]*</c> and removes what it finds with <c>UNLINK</c>,
    /// in pipelined batches (one key per command, so it also works on Redis Cluster). The back-off does not apply: an
    /// invalidation always tries, and reports failure.
    /// </remarks>
    public async ValueTask InvalidateAsync(string modelName, string? modelVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (modelVersion is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var pattern = RedisCacheKeys.Pattern(modelName, modelVersion);
        var what = modelVersion is null ? $"model '{modelName}'" : $"model '{modelName}' version '{modelVersion}'";

        IConnectionMultiplexer connection;
        try
        {
            connection = await Connection().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(what, exception);
        }

        var servers = connection.GetServers();
        var down = servers.Where(static server => !server.IsConnected).Select(static server => server.EndPoint.ToString()).ToList();
        if (servers.Length == 0 || down.Count > 0)
        {
            throw Unreachable(what, inner: null, down.Count > 0 ? string.Join(", ", down) : null);
        }

        var database = connection.GetDatabase();
        long removed = 0;
        try
        {
            foreach (var server in servers.Where(static server => !server.IsReplica))
            {
                var batch = new List<Task>(InvalidationBatchSize);
                await foreach (var key in server.KeysAsync(database.Database, pattern, InvalidationBatchSize).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(database.ExecuteAsync("UNLINK", [key], CommandFlags.DemandMaster));
                    if (batch.Count == InvalidationBatchSize)
                    {
                        removed += await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
                    }
                }

                removed += await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw Unreachable(what, exception);
        }

        Log.RedisInvalidated(_logger, removed, pattern);
    }

    private static async Task<int> FlushAsync(List<Task> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        await Task.WhenAll(batch).WaitAsync(cancellationToken).ConfigureAwait(false);
        batch.Clear();
        return count;
    }

    private InvalidOperationException Unreachable(string what, Exception? inner, string? endPoints = null) => new(
        $"The Redis entries of {what} could not be removed: Redis at {endPoints ?? EndPoints} could not be reached. " +
        "In-memory entries are cleared regardless; retry the invalidation when Redis is back, or let the Redis entries expire by their TTL.",
        inner);
}
