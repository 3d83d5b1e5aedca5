using Keel.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Keel.Redis;

/// <summary>
/// The Redis level of the result cache, shared by every replica. Lookups and stores fail open: each is bounded by
/// <see cref="RedisCacheOptions.OperationTimeout"/> measured with the container's <see cref="TimeProvider"/>, never
/// throws (except for the caller's own cancellation), and after a timeout or a connection failure Redis is skipped for
/// <see cref="RedisCacheOptions.BreakDuration"/> (see <see cref="RedisBackoff"/>).
/// </summary>
/// <remarks>
/// The connection is either one the container holds (an <see cref="IConnectionMultiplexer"/> registered by the
/// application, used as it is and never disposed here) or the level's own, made at start-up by
/// <see cref="RedisCacheConnector"/> (or, without a host, on first use) by one background <see cref="ConnectionMultiplexer.ConnectAsync(ConfigurationOptions, TextWriter?)"/>
/// with <c>AbortOnConnectFail=false</c>: calls made while it connects answer <see cref="DistributedCacheStatus.Unavailable"/>
/// at once instead of waiting, and StackExchange.Redis reconnects by itself after Redis comes back. Commands fail fast
/// while disconnected (<see cref="BacklogPolicy.FailFast"/>) instead of queueing.
/// </remarks>
internal sealed partial class RedisCacheLevel : IDistributedCacheLevel, IAsyncDisposable, IDisposable
{
    private readonly ConfigurationOptions? _configuration;
    private readonly bool _ownsConnection;
    private readonly RedisCacheKeys _keys;
    private readonly RedisBackoff _backoff;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _operationTimeout;
    private readonly int _maxPayloadBytes;
    private readonly Lock _connectLock = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private int _disposed;
    private long _oversizedPayloads;
    private long _failures;
    private long _skippedWhileConnecting;

    public RedisCacheLevel(RedisCacheOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(options, connection: null, timeProvider, loggerFactory)
    {
    }

    /// <summary>
    /// Creates a level on <paramref name="connection"/>, a connection the container owns (and disposes), or, when it is
    /// <see langword="null"/>, on a connection of its own to <see cref="RedisCacheOptions.Configuration"/>.
    /// </summary>
    public RedisCacheLevel(RedisCacheOptions options, IConnectionMultiplexer? connection, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var errors = RedisCacheOptionsValidator.Validate(options, connectionSupplied: connection is not null);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RedisCacheOptions), errors);
        }

        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger("Keel.Redis");
        _operationTimeout = options.OperationTimeout;
        _maxPayloadBytes = options.MaxPayloadBytes;
        _keys = new RedisCacheKeys(options.KeySecret!);
        _backoff = new RedisBackoff(options.BreakDuration, timeProvider, _logger);

        ConnectTimeout = options.ConnectTimeout;
        if (connection is not null)
        {
            _connecting = Task.FromResult(connection);
            return;
        }

        _ownsConnection = true;
        _configuration = ConfigurationOptions.Parse(options.Configuration!);
        _configuration.AbortOnConnectFail = false;
        _configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _configuration.ConnectTimeout = (int)Math.Ceiling(options.ConnectTimeout.TotalMilliseconds);
        options.ConfigureConnection?.Invoke(_configuration);
    }

    /// <summary>Gets how long the first connection may take; start-up waits for it no longer.</summary>
    internal TimeSpan ConnectTimeout { get; }

    /// <summary>Gets the endpoints of Redis, for messages.</summary>
    internal string EndPoints => _configuration is not null
        ? string.Join(", ", _configuration.EndPoints)
        : Volatile.Read(ref _connecting) is { IsCompletedSuccessfully: true } connecting ? string.Join(", ", connecting.Result.GetEndPoints().Select(static e => e.ToString())) : "(unknown)";

    /// <summary>Gets whether Redis is being skipped after a failure.</summary>
    internal bool IsBackingOff => _backoff.IsBackingOff;

    /// <summary>Gets how many calls skipped Redis during a back-off.</summary>
    internal long SkippedCount => _backoff.SkippedCount;

    /// <summary>Gets how many calls answered at once because the first connection was still being made.</summary>
    internal long SkippedWhileConnectingCount => Interlocked.Read(ref _skippedWhileConnecting);

    /// <summary>Gets how many lookups and stores timed out or found Redis disconnected.</summary>
    internal long FailureCount => Interlocked.Read(ref _failures);

    /// <summary>Gets how many results were not stored because they were larger than <see cref="RedisCacheOptions.MaxPayloadBytes"/>.</summary>
    internal long OversizedPayloadCount => Interlocked.Read(ref _oversizedPayloads);

    /// <summary>Gets whether the connection is made and up; StackExchange.Redis restores it by itself after an outage.</summary>
    internal bool IsConnected => Volatile.Read(ref _connecting) is { IsCompletedSuccessfully: true } connecting && connecting.Result.IsConnected;

    internal RedisCacheKeys Keys => _keys;

    /// <inheritdoc />
    public ValueTask<DistributedCacheRead> GetAsync(DistributedCacheKey key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryGetDatabase(out var database, out var isProbe))
        {
            return new(DistributedCacheRead.Unavailable);
        }

        return GetCoreAsync(database, _keys.Create(key), isProbe, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> SetAsync(DistributedCacheKey key, ReadOnlyMemory<byte> payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, $"The time to live must be greater than 00:00:00, but was {timeToLive}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (payload.Length > _maxPayloadBytes)
        {
            Interlocked.Increment(ref _oversizedPayloads);
            Log.PayloadTooLarge(_logger, key.ModelName, key.ModelVersion, key.OperationName, payload.Length, _maxPayloadBytes);
            return new(false);
        }

        if (!TryGetDatabase(out var database, out var isProbe))
        {
            return new(false);
        }

        // Redis keeps whole milliseconds (SET … PX); a shorter positive TTL is rounded up, never to "no expiry".
        var ttl = timeToLive < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : timeToLive;

        // Copied: after a timeout this method returns while StackExchange.Redis may still hold the value, and the
        // caller may reuse its buffer.
        return SetCoreAsync(database, _keys.Create(key), payload.ToArray(), ttl, isProbe, cancellationToken);
    }

    /// <summary>Waits for the first connection; the start-up connector and tests use it to start from a connected level.</summary>
    internal async Task<bool> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connection = await Connection().WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.IsConnected;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var connecting = Volatile.Read(ref _connecting);
        if (connecting is null || !_ownsConnection)
        {
            // A connection from the container is the container's to close.
            return;
        }

        if (!connecting.IsCompleted)
        {
            // Don't hold up the container's disposal for a connect in progress: close it when it ends.
            _ = connecting.ContinueWith(static task => task.Result.Dispose(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        if (connecting.IsCompletedSuccessfully)
        {
            await connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<DistributedCacheRead> GetCoreAsync(IDatabase database, RedisKey key, bool isProbe, CancellationToken cancellationToken)
    {
        var pending = database.StringGetAsync(key);
        var (succeeded, value) = await CompleteAsync(pending, "GET", isProbe, cancellationToken).ConfigureAwait(false);
        if (!succeeded)
        {
            return DistributedCacheRead.Unavailable;
        }

        return value.IsNull ? DistributedCacheRead.Miss : DistributedCacheRead.Hit((byte[])value!);
    }

    private async ValueTask<bool> SetCoreAsync(IDatabase database, RedisKey key, byte[] payload, TimeSpan timeToLive, bool isProbe, CancellationToken cancellationToken)
    {
        var pending = database.StringSetAsync(key, payload, new Expiration(timeToLive));
        var (succeeded, stored) = await CompleteAsync(pending, "SET", isProbe, cancellationToken).ConfigureAwait(false);
        return succeeded && stored;
    }

    /// <summary>Waits for a command within the operation timeout and turns every failure into an answer, never an exception.</summary>
    private async ValueTask<(bool Succeeded, T Value)> CompleteAsync<T>(Task<T> pending, string command, bool isProbe, CancellationToken cancellationToken)
    {
        try
        {
            var value = await pending.WaitAsync(_operationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            _backoff.OnSuccess(isProbe);
            return (true, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(pending);
            _backoff.Abandon(isProbe);
            throw;
        }
        catch (RedisServerException exception)
        {
            // Redis answered, with an error (out of memory, say): it is up, so no back-off.
            _backoff.OnSuccess(isProbe);
            Log.RedisCommandRejected(_logger, command, exception.Message);
            return (false, default!);
        }
        catch (Exception exception)
        {
            Observe(pending);
            Interlocked.Increment(ref _failures);
            var reason = exception is TimeoutException
                ? $"{command} took longer than {_operationTimeout.TotalMilliseconds} ms"
                : $"{command} failed with {exception.GetType().Name}";
            _backoff.OnFailure(isProbe, reason, exception is TimeoutException ? null : exception);
            return (false, default!);
        }
    }

    /// <summary>Returns the database when Redis may be asked now: not backing off, connected.</summary>
    private bool TryGetDatabase(out IDatabase database, out bool isProbe)
    {
        database = null!;
        if (Volatile.Read(ref _disposed) != 0 || !_backoff.TryEnter(out isProbe))
        {
            isProbe = false;
            return false;
        }

        var connecting = Connection();
        if (connecting.IsCompletedSuccessfully)
        {
            var connection = connecting.Result;
            if (connection.IsConnected)
            {
                database = connection.GetDatabase();
                return true;
            }

            Interlocked.Increment(ref _failures);
            _backoff.OnFailure(isProbe, "not connected", null);
            return false;
        }

        if (connecting.IsFaulted)
        {
            var exception = connecting.Exception.InnerException ?? connecting.Exception;
            lock (_connectLock)
            {
                if (ReferenceEquals(_connecting, connecting))
                {
                    _connecting = null;
                }
            }

            Interlocked.Increment(ref _failures);
            _backoff.OnFailure(isProbe, "connecting failed", exception);
            return false;
        }

        // The first connection is still being made: answer at once rather than make the call wait for it.
        Interlocked.Increment(ref _skippedWhileConnecting);
        _backoff.Abandon(isProbe);
        return false;
    }

    private Task<IConnectionMultiplexer> Connection()
    {
        var connecting = Volatile.Read(ref _connecting);
        if (connecting is not null)
        {
            return connecting;
        }

        lock (_connectLock)
        {
            return _connecting ??= Task.Run(ConnectCoreAsync);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectCoreAsync()
    {
        Log.RedisConnecting(_logger, EndPoints);
        var connection = await ConnectionMultiplexer.ConnectAsync(_configuration!.Clone()).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(RedisCacheLevel));
        }

        return connection;
    }

    private static void Observe(Task pending) =>
        _ = pending.ContinueWith(static task => _ = task.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static void ValidateKey(in DistributedCacheKey key)
    {
        if (string.IsNullOrEmpty(key.ModelName) || string.IsNullOrEmpty(key.ModelVersion) || string.IsNullOrEmpty(key.OperationName))
        {
            throw new ArgumentException(
                $"The key must have a model name, a model version and an operation name, but had ModelName '{key.ModelName}', ModelVersion '{key.ModelVersion}' and OperationName '{key.OperationName}'.",
                nameof(key));
        }
    }
}
