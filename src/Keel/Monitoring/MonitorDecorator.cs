using System.Diagnostics;
using Keel.Pipeline;

namespace Keel.Monitoring;

/// <summary>
/// Times the rest of the pipeline and records the outcome. With nothing listening (no meter listener, no span
/// listener, no logger) a call is passed straight on after a few field reads. With listeners, a call whose next link
/// completes synchronously (a cache hit) records without an async state machine: one timestamp before, one after, one
/// duration recording. Nothing allocates; the exception of a failed call is rethrown unchanged, the same instance with
/// its stack trace.
/// </summary>
internal sealed class MonitorDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, MonitorSettings<TInput, TResult> settings)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly MonitorSettings<TInput, TResult> _settings = settings;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context)
    {
        var settings = _settings;
        if (!settings.IsObserved)
        {
            return _next.InvokeAsync(input, context);
        }

        var activity = settings.StartActivity(input);
        var started = activity is not null || settings.NeedsTiming ? settings.TimeProvider.GetTimestamp() : 0L;
        ValueTask<TResult> pending;
        try
        {
            settings.RecordInput(input);
            pending = _next.InvokeAsync(input, context);
        }
        catch (Exception exception)
        {
            settings.RecordFailure(exception, started, context, activity);
            activity?.Dispose();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            settings.RecordSuccess(input, result, started, context, activity);
            activity?.Dispose();
            return new ValueTask<TResult>(result);
        }

        return AwaitAsync(pending, input, context, activity, started);
    }

    private async ValueTask<TResult> AwaitAsync(ValueTask<TResult> pending, TInput input, InferenceContext context, Activity? activity, long started)
    {
        var settings = _settings;
        try
        {
            TResult result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                settings.RecordFailure(exception, started, context, activity);
                throw;
            }

            settings.RecordSuccess(input, result, started, context, activity);
            return result;
        }
        finally
        {
            activity?.Dispose();
        }
    }
}

/// <summary>Adds the monitor to a pipeline being built.</summary>
internal static class MonitorDecorator
{
    public const string Name = "Monitor";

    public static bool IsNumericScalar<T>() =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half) || typeof(T) == typeof(decimal)
        || typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte)
        || typeof(T) == typeof(uint) || typeof(T) == typeof(ulong) || typeof(T) == typeof(ushort) || typeof(T) == typeof(byte);

    public static InferenceHandler<TInput, TResult> Create<TInput, TResult>(InferenceHandler<TInput, TResult> next, InferenceBuildContext<TInput, TResult> context, ProfileRequest<MonitorOptions> request)
    {
        var options = context.Environment.ResolveOptions(MonitorDefaults.Profile, request, Name, context.Errors, out var profile);
        if (options is null)
        {
            return next;
        }

        var before = context.Errors.Count;
        MonitorOptionsValidator.ValidateFor<TResult>(options, request.Fixed is null ? MonitorDefaults.Profile.Prefix(profile) : nameof(MonitorOptions), context.Errors);
        if (context.Errors.Count > before)
        {
            return next;
        }

        var instruments = context.Instruments;
        var settings = new MonitorSettings<TInput, TResult>(
            context.Identity,
            instruments,
            context.TimeProvider,
            context.LoggerFactory.CreateLogger("Keel.Monitoring"),
            context.InputDescriptor,
            context.ResultDescriptor,
            options.RecordSizes,
            options.RecordPredictions ? instruments.GetPredictionHistogram([.. options.PredictionBuckets ?? MonitorDefaults.PredictionBuckets]) : null);
        return new MonitorDecorator<TInput, TResult>(next, settings);
    }
}
