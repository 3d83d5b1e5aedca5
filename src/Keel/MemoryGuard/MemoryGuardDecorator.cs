using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.MemoryGuard;

/// <summary>
/// Refuses calls while memory is short, or while a call's estimate does not fit in the headroom. The all-pass path is
/// one read of the sampler's latest sample (and, with an estimate, one compare-and-swap to reserve it): nothing
/// allocates and nothing throws.
/// </summary>
internal sealed class MemoryGuardDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, MemoryGuardSettings settings)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly MemoryGuardSettings _settings = settings;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var settings = _settings;
        if (settings.EstimatedBytes == 0)
        {
            return settings.Sampler.CurrentSample.Load <= settings.MaxMemoryLoad
                ? _next.InvokeAsync(input, context)
                : InvokeUnderPressureAsync(input, context);
        }

        return settings.Sampler.TryReserve(settings.EstimatedBytes, settings.MaxMemoryLoad)
            ? InvokeReservedAsync(input, context)
            : InvokeUnderPressureAsync(input, context);
    }

    /// <summary>Runs the call with its estimate reserved, and returns the reservation however the call ends.</summary>
    private async ValueTask<TResult> InvokeReservedAsync(TInput input, InferenceContext context)
    {
        try
        {
            return await _next.InvokeAsync(input, context).ConfigureAwait(false);
        }
        finally
        {
            _settings.Sampler.Release(_settings.EstimatedBytes);
        }
    }

    private async ValueTask<TResult> InvokeUnderPressureAsync(TInput input, InferenceContext context)
    {
        await AdmitAsync(context).ConfigureAwait(false);
        return _settings.EstimatedBytes == 0
            ? await _next.InvokeAsync(input, context).ConfigureAwait(false)
            : await InvokeReservedAsync(input, context).ConfigureAwait(false);
    }

    /// <summary>Applies the action; returns when the call is admitted (its estimate reserved) and throws when it is refused.</summary>
    private async ValueTask AdmitAsync(InferenceContext context)
    {
        var settings = _settings;
        var sampler = settings.Sampler;
        switch (settings.Action)
        {
            case MemoryGuardAction.CollectThenReject:
                // The collection runs off this thread, at most one per collection interval for every guard of the
                // sampler; this call waits for its fresh sample (never longer than MaxWait) and is admitted only if
                // memory was freed.
                var collection = sampler.RequestCollection();
                if (!collection.IsCompleted)
                {
                    try
                    {
                        await collection.WaitAsync(settings.MaxWait, sampler.TimeProvider, context.CancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // Refused below: the collection has not answered within MaxWait.
                    }
                }

                if (TryAdmit())
                {
                    return;
                }

                break;

            case MemoryGuardAction.Wait:
                var time = sampler.TimeProvider;
                var started = time.GetTimestamp();
                Log.MemoryPressureWaiting(settings.Logger, settings.ModelName, settings.ModelVersion, settings.OperationName, settings.MaxWait.TotalMilliseconds, sampler.CurrentSample.Load, settings.MaxMemoryLoad);
                while (true)
                {
                    var remaining = settings.MaxWait - time.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    await time.DelayAsync(remaining < sampler.SampleInterval ? remaining : sampler.SampleInterval, context).ConfigureAwait(false);
                    if (TryAdmit())
                    {
                        return;
                    }
                }

                break;
        }

        throw Reject();
    }

    private bool TryAdmit() =>
        _settings.EstimatedBytes == 0
            ? _settings.Sampler.CurrentSample.Load <= _settings.MaxMemoryLoad
            : _settings.Sampler.TryReserve(_settings.EstimatedBytes, _settings.MaxMemoryLoad);

    private MemoryPressureException Reject()
    {
        var settings = _settings;
        var sample = settings.Sampler.CurrentSample;
        var load = double.IsFinite(sample.Load) ? Math.Max(0, sample.Load) : 0;
        Log.MemoryPressureRejected(settings.Logger, settings.ModelName, settings.ModelVersion, settings.OperationName, load, sample.Reading.Source, settings.MaxMemoryLoad, settings.EstimatedBytes, settings.ActionName);
        settings.Instruments.RecordMemoryRejection(settings.ModelName, settings.ModelVersion, settings.OperationName, settings.ActionName);
        return settings.EstimatedBytes == 0
            ? new MemoryPressureException(load, settings.MaxMemoryLoad, settings.RetryAfter)
            : new MemoryPressureException(load, settings.MaxMemoryLoad, settings.RetryAfter, settings.EstimatedBytes, settings.Sampler.Headroom(settings.MaxMemoryLoad));
    }
}

/// <summary>Adds the memory guard to a pipeline being built. Guards share the container's sampler, or <see cref="MemorySampler.Shared"/>.</summary>
internal static class MemoryGuardDecorator
{
    public const string Name = "MemoryGuard";

    /// <summary>Creates the guard; tests pass a <paramref name="sampler"/> reading fake sources.</summary>
    public static InferenceHandler<TInput, TResult> Create<TInput, TResult>(InferenceHandler<TInput, TResult> next, InferenceBuildContext<TInput, TResult> context, ProfileRequest<MemoryGuardOptions> request, MemorySampler? sampler = null)
    {
        var options = context.Environment.ResolveOptions(MemoryGuardDefaults.Profile, request, Name, context.Errors, out _);
        if (options is null)
        {
            return next;
        }

        sampler ??= context.Services?.GetService<MemorySampler>() ?? MemorySampler.Shared;
        var settings = new MemoryGuardSettings(options, sampler, context.ModelName, context.ModelVersion, context.OperationName, context.Instruments, context.LoggerFactory.CreateLogger("Keel.MemoryGuard"));
        return new MemoryGuardDecorator<TInput, TResult>(next, settings);
    }
}
