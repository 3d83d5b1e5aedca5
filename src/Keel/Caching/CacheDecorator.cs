using System.Collections.Concurrent;
using Keel.Monitoring;
using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Caching;

/// <summary>
/// Answers repeated inputs from a verified in-memory entry; on a miss, coalesces identical calls into one model call
/// (<c>CacheDecorator.Flight.cs</c>), consults and fills the shared level (<c>CacheDecorator.Shared.cs</c>), and serves
/// a stale entry when the model fails and <see cref="CacheResultOptions.MaxStale"/> allows it
/// (<c>CacheDecorator.Stale.cs</c>). Failures are never cached.
/// </summary>
/// <remarks>
/// The hit path hashes the input's canonical bytes, looks the hash up, checks expiry, compares the input with the entry's stored bytes and counts the hit on
/// a Keel-side counter. It allocates nothing unless the result type must be copied for each caller (arrays are cloned:
/// see <see cref="Share"/> and <see cref="ResultCopier{T}"/>); an immutable result is handed out as it is.
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
    private readonly ResultCopier<TResult> _copier;

    public CacheDecorator(InferenceHandler<TInput, TResult> next, CacheSettings<TInput, TResult> settings)
    {
        _next = next;
        _descriptor = settings.Descriptor;
        _memory = settings.Memory;
        _clock = settings.Clock;
        _timeToLive = settings.TimeToLive;
        _timeToLiveMs = (long)settings.TimeToLive.TotalMilliseconds;
        _maxStaleMs = settings.MaxStale is { } stale ? (long)stale.TotalMilliseconds : -1;
        _distributed = settings.Distributed;
        _serializer = settings.Serializer;
        _telemetry = settings.Telemetry;
        _logger = settings.Logger;
        _copier = settings.Copier;
    }

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var hash = CacheKeys.Hash(_descriptor, input);
        if (_memory.TryGet(hash, out var entry)
            && entry.ExpiresAtMilliseconds > _clock.NowMilliseconds
            && CacheKeys.Matches(_descriptor, input, entry.Key))
        {
            _telemetry.MemoryHits.Increment();
            MarkAnswered(context, CacheLookupResult.Hit);
            return new ValueTask<TResult>(Share(entry.Value));
        }

        return MissAsync(input, context, hash, entry);
    }

    /// <summary>Records on the call that the cache answered it: the monitor reports <c>cache_hit</c>.</summary>
    private static void MarkAnswered(InferenceContext context, CacheLookupResult result) => context.SetAnswered(result, KeelOutcomes.CacheHit);

    /// <summary>Returns a result to a caller through its type's <see cref="ResultCopier{T}"/>, so that no caller can change what others are served.</summary>
    private TResult Share(TResult value) => _copier.Copy(value);

    private async ValueTask<TResult> MissAsync(TInput input, InferenceContext context, UInt128 hash, CacheEntry<TResult>? previous)
    {
        _telemetry.MemoryMisses.Increment();
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

            if (await WaitForLeaderAsync(current, context).ConfigureAwait(false) is { } outcome)
            {
                MarkAnswered(context, outcome.Result == CacheLookupResult.Stale ? CacheLookupResult.Stale : CacheLookupResult.Hit);
                return Share(outcome.Value);
            }
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
                return Land(flight, context, stored.Value, CacheLookupResult.Hit);
            }

            if (_distributed is not null && await ReadSharedAsync(flight.Key, context).ConfigureAwait(false) is { Found: true } shared)
            {
                _memory.Set(hash, new CacheEntry<TResult>(flight.Key, shared.Value, _clock.NowMilliseconds + _timeToLiveMs));
                return Land(flight, context, shared.Value, CacheLookupResult.Hit);
            }

            context.CacheResult = CacheLookupResult.Miss;
            TResult result;
            try
            {
                result = await _next.InvokeAsync(input, context).ConfigureAwait(false);
            }
            catch (Exception exception) when (TryServeStale(exception, context, previous, out var stale))
            {
                return Land(flight, context, stale, CacheLookupResult.Stale);
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
            Fail(flight, exception, context);
            throw;
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<UInt128, Flight>(hash, flight));
        }
    }

    /// <summary>Answers the leader's call and every waiter's with a value the model did not have to produce now.</summary>
    private TResult Land(Flight flight, InferenceContext context, TResult value, CacheLookupResult result)
    {
        flight.Completion.SetResult((value, result));
        MarkAnswered(context, result);
        return Share(value);
    }
}

/// <summary>Adds the cache decorator to a pipeline being built.</summary>
internal static class CacheDecorator
{
    public const string Name = "CacheResult";

    public static InferenceHandler<TInput, TResult> Create<TInput, TResult>(InferenceHandler<TInput, TResult> next, InferenceBuildContext<TInput, TResult> context, ProfileRequest<CacheResultOptions> request)
    {
        var services = context.Services;
        var options = context.Environment.ResolveOptions(CacheResultDefaults.Profile, request, Name, context.Errors, out _);
        var descriptor = context.InputDescriptor;
        if (descriptor is null)
        {
            context.AddError($"{Name} cannot key parameter 'input' of type {typeof(TInput)}: Keel keys numeric arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T>, Tensor<T>, strings and numeric scalars. Describe the type with builder.WithInputDescriptor(ValueDescriptor.Create<{typeof(TInput).Name}>((value, ref writer) => ...)), writing every field the prediction depends on, or, for a tuple of several arguments, with ValueDescriptor.Tuple(...) of the parts' descriptors.");
        }

        var copier = ResultCopier.For<TResult>();
        if (copier is null)
        {
            context.AddError($"{Name} cannot hand out cached results of type {typeof(TResult)} safely: a caller could change what every later caller is served. Return an immutable type (a sealed record marked [System.ComponentModel.ImmutableObject(true)], an ImmutableArray<T>, a numeric array), or register a copier at start-up with ResultCopier.Register(ResultCopier.Create<{typeof(TResult).Name}>(value => /* a deep copy */)), or ResultCopier.Register(ResultCopier.Immutable<{typeof(TResult).Name}>()) if its instances never change.");
        }

        if (options is null || descriptor is null || copier is null)
        {
            return next;
        }

        var distributed = options.UseDistributedLevel ? services?.GetService<IDistributedCacheLevel>() : null;
        var serializer = context.ResultSerializer;
        if (distributed is not null && serializer is null)
        {
            context.AddError($"{Name} cannot store results of type {typeof(TResult)} in the shared cache level: give the builder a serializer with WithResultSerializer(ResultSerializer.Json(...)), or set UseDistributedLevel to false for this profile.");
            return next;
        }

        var memory = new MemoryCacheLevel<TResult>(context.ModelName, context.ModelVersion, options.MaxEntries);
        (services?.GetService<CacheInvalidator>() ?? CacheInvalidator.Standalone).Register(memory);
        var settings = new CacheSettings<TInput, TResult>(
            options.TimeToLive,
            options.MaxStale,
            descriptor,
            memory,
            new CacheClock(context.TimeProvider),
            distributed,
            serializer,
            copier,
            context.Instruments.CreateCacheTelemetry(context.Identity),
            context.LoggerFactory.CreateLogger("Keel.Caching"));
        return new CacheDecorator<TInput, TResult>(next, settings);
    }
}
