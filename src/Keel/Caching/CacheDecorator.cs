using System.Buffers;
using System.Collections.Concurrent;
using Keel.Pipeline;
using Microsoft.Extensions.Logging;

namespace Keel.Caching;

/// <summary>
/// Answers repeated inputs from a verified in-memory entry, coalesces concurrent identical misses into one model call
/// (single-flight), consults and fills the shared level on a miss, and serves a stale entry when the model fails and
/// <see cref="CacheResultOptions.MaxStale"/> allows it. Failures are never cached.
/// </summary>
/// <remarks>
/// The hit path hashes the input's canonical bytes, looks the hash up, checks expiry and compares the input with the
/// entry's stored bytes; it allocates nothing (an array result is cloned, so callers cannot change the cached one).
/// </remarks>
internal sealed partial class CacheDecorator<TInput, TResult> : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next;
    private readonly ValueDescriptor<TInput> _descriptor;
    private readonly MemoryCacheLevel<TResult> _memory;
    private readonly ConcurrentDictionary<UInt128, Flight> _flights = new();
    private readonly CacheClock _clock;
    private readonly long _timeToLiveMs;
    private readonly long _maxStaleMs;
    private readonly TimeSpan _timeToLive;
    private readonly IDistributedCacheLevel? _distributed;
    private readonly IResultSerializer<TResult>? _serializer;
    private readonly CacheTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly Func<UInt128, UInt128>? _hashTransform;

    public CacheDecorator(InferenceHandler<TInput, TResult> next, CacheSettings<TInput, TResult> settings)
    {
        _next = next;
        _descriptor = settings.Descriptor;
        _memory = settings.Memory;
        _clock = settings.Clock;
        _timeToLive = settings.Options.TimeToLive;
        _timeToLiveMs = (long)settings.Options.TimeToLive.TotalMilliseconds;
        _maxStaleMs = settings.Options.MaxStale is { } stale ? (long)stale.TotalMilliseconds : -1;
        _distributed = settings.Distributed;
        _serializer = settings.Serializer;
        _telemetry = settings.Telemetry;
        _logger = settings.Logger;
        _hashTransform = settings.HashTransform;
    }

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var hash = CacheKeys.Hash(_descriptor, input);
        if (_hashTransform is not null)
        {
            hash = _hashTransform(hash);
        }

        if (_memory.TryGet(hash, out var entry)
            && entry.ExpiresAtMilliseconds > _clock.NowMilliseconds
            && CacheKeys.Matches(_descriptor, input, entry.Key))
        {
            context.CacheResult = CacheLookupResult.Hit;
            _telemetry.RecordLookup(CacheLookupResult.Hit, CacheTelemetry.MemoryLevel);
            return new ValueTask<TResult>(Share(entry.Value));
        }

        return MissAsync(input, context, hash, entry);
    }

    /// <summary>Returns a result to a caller through its type's <see cref="ResultCopier{T}"/>, so that no caller can change what others are served.</summary>
    private static TResult Share(TResult value) => ResultCopiers<TResult>.Copy(value);

    private async ValueTask<TResult> MissAsync(TInput input, InferenceContext context, UInt128 hash, CacheEntry<TResult>? previous)
    {
        _telemetry.RecordLookup(CacheLookupResult.Miss, CacheTelemetry.MemoryLevel);
        var key = CacheKeys.Copy(_descriptor, input);
        if (previous is not null && !previous.Key.AsSpan().SequenceEqual(key))
        {
            Log.KeyHashCollision(_logger, context.ModelName, context.ModelVersion, context.OperationName);
            previous = null;
        }

        while (true)
        {
            var flight = new Flight(key);
            var current = _flights.GetOrAdd(hash, flight);
            if (ReferenceEquals(current, flight))
            {
                return await LeadAsync(input, context, hash, flight, previous).ConfigureAwait(false);
            }

            if (!current.Key.AsSpan().SequenceEqual(key))
            {
                // Another input with the same hash is in flight: answer this one without the cache.
                Log.KeyHashCollision(_logger, context.ModelName, context.ModelVersion, context.OperationName);
                context.CacheResult = CacheLookupResult.Miss;
                return await _next.InvokeAsync(input, context).ConfigureAwait(false);
            }

            var waiting = current.Completion.Task.WaitAsync(context.CancellationToken);
            (TResult Value, CacheLookupResult Result) outcome;
            try
            {
                outcome = context.IsSynchronous ? waiting.GetAwaiter().GetResult() : await waiting.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (current.LeaderCanceled && !context.CancellationToken.IsCancellationRequested)
            {
                // The leader's caller gave up, not this one: try again, as the leader if nobody else is.
                continue;
            }

            context.CacheResult = outcome.Result == CacheLookupResult.Stale ? CacheLookupResult.Stale : CacheLookupResult.Hit;
            return Share(outcome.Value);
        }
    }

    private async ValueTask<TResult> LeadAsync(TInput input, InferenceContext context, UInt128 hash, Flight flight, CacheEntry<TResult>? previous)
    {
        try
        {
            // A leader that finished just before this flight began has stored its entry and then left: look again, or
            // this caller would call the model a second time for the same input.
            if (_memory.TryGet(hash, out var stored)
                && stored.ExpiresAtMilliseconds > _clock.NowMilliseconds
                && stored.Key.AsSpan().SequenceEqual(flight.Key))
            {
                // The lookup was already counted as a memory miss; the model is not called, so the call is a hit.
                flight.Completion.SetResult((stored.Value, CacheLookupResult.Hit));
                context.CacheResult = CacheLookupResult.Hit;
                return Share(stored.Value);
            }

            if (_distributed is not null)
            {
                var shared = await ReadSharedAsync(flight.Key, context).ConfigureAwait(false);
                if (shared.Found)
                {
                    _memory.Set(hash, new CacheEntry<TResult>(flight.Key, shared.Value, _clock.NowMilliseconds + _timeToLiveMs));
                    flight.Completion.SetResult((shared.Value, CacheLookupResult.Hit));
                    context.CacheResult = CacheLookupResult.Hit;
                    return Share(shared.Value);
                }
            }

            context.CacheResult = CacheLookupResult.Miss;
            TResult result;
            try
            {
                result = await _next.InvokeAsync(input, context).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                if (!TryServeStale(exception, context, previous, out var stale))
                {
                    throw;
                }

                flight.Completion.SetResult((stale, CacheLookupResult.Stale));
                return Share(stale);
            }

            _memory.Set(hash, new CacheEntry<TResult>(flight.Key, result, _clock.NowMilliseconds + _timeToLiveMs));
            flight.Completion.SetResult((result, CacheLookupResult.Miss));
            if (_distributed is not null)
            {
                await WriteSharedAsync(flight.Key, result, context).ConfigureAwait(false);
            }

            return Share(result);
        }
        catch (Exception exception)
        {
            flight.LeaderCanceled = exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested;
            if (flight.Completion.TrySetException(exception))
            {
                // Mark the failure observed: with no waiter it would otherwise surface as an unobserved task exception.
                _ = flight.Completion.Task.Exception;
            }

            throw;
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<UInt128, Flight>(hash, flight));
        }
    }

    private bool TryServeStale(Exception exception, InferenceContext context, CacheEntry<TResult>? previous, out TResult value)
    {
        value = default!;
        if (_maxStaleMs < 0 || previous is null
            || (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            return false;
        }

        var staleMs = _clock.NowMilliseconds - previous.ExpiresAtMilliseconds;
        if (staleMs > _maxStaleMs)
        {
            return false;
        }

        value = previous.Value;
        context.CacheResult = CacheLookupResult.Stale;
        _telemetry.RecordLookup(CacheLookupResult.Stale, CacheTelemetry.MemoryLevel);
        Log.StaleResultServed(_logger, context.ModelName, context.ModelVersion, context.OperationName, exception.GetType().Name, Math.Max(0, staleMs), _maxStaleMs, exception);
        return true;
    }

    private async ValueTask<(bool Found, TResult Value)> ReadSharedAsync(byte[] key, InferenceContext context)
    {
        var pending = _distributed!.GetAsync(new DistributedCacheKey(context.ModelName, context.ModelVersion, context.OperationName, key), context.CancellationToken);
        var read = context.IsSynchronous ? pending.GetResultBlocking() : await pending.ConfigureAwait(false);
        switch (read.Status)
        {
            case DistributedCacheStatus.Hit:
                try
                {
                    var value = _serializer!.Deserialize(read.Payload.Span);
                    _telemetry.RecordLookup(CacheLookupResult.Hit, CacheTelemetry.SharedLevel);
                    return (true, value);
                }
                catch (InvalidDataException exception)
                {
                    Log.SharedEntryUnreadable(_logger, context.ModelName, context.ModelVersion, context.OperationName, typeof(TResult).Name, exception);
                    _telemetry.RecordLookup(CacheLookupResult.Miss, CacheTelemetry.SharedLevel);
                    return (false, default!);
                }

            case DistributedCacheStatus.Miss:
                _telemetry.RecordLookup(CacheLookupResult.Miss, CacheTelemetry.SharedLevel);
                return (false, default!);
            default:
                _telemetry.RecordUnavailable(CacheTelemetry.SharedLevel);
                return (false, default!);
        }
    }

    private async ValueTask WriteSharedAsync(byte[] key, TResult result, InferenceContext context)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            _serializer!.Serialize(result, buffer);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.ResultNotSerializable(_logger, context.ModelName, context.ModelVersion, context.OperationName, typeof(TResult).Name, exception);
            return;
        }

        // The model has answered: store the entry even if the caller stops waiting now. The level bounds its own time.
        var pending = _distributed!.SetAsync(new DistributedCacheKey(context.ModelName, context.ModelVersion, context.OperationName, key), buffer.WrittenMemory, _timeToLive, CancellationToken.None);
        var stored = context.IsSynchronous ? pending.GetResultBlocking() : await pending.ConfigureAwait(false);
        if (!stored)
        {
            _telemetry.RecordUnavailable(CacheTelemetry.SharedLevel);
        }
    }

    /// <summary>One model call in progress for a key; identical misses wait for it instead of calling the model.</summary>
    private sealed class Flight(byte[] key)
    {
        public byte[] Key { get; } = key;

        public TaskCompletionSource<(TResult Value, CacheLookupResult Result)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool LeaderCanceled { get; set; }
    }
}
