using Keel.Pipeline;

namespace Keel.Monitoring;

/// <summary>
/// Times the rest of the pipeline and records the outcome. With nothing listening (no meter listener, no span
/// listener, no logger) a call is passed straight on after a few field reads and allocates nothing; the exception of a failed call is rethrown
/// unchanged, the same instance with its stack trace.
/// </summary>
internal sealed class MonitorDecorator<TInput, TResult>(InferenceHandler<TInput, TResult> next, MonitorSettings<TInput, TResult> settings)
    : InferenceHandler<TInput, TResult>
{
    private readonly InferenceHandler<TInput, TResult> _next = next;
    private readonly MonitorSettings<TInput, TResult> _settings = settings;

    public override ValueTask<TResult> InvokeAsync(TInput input, InferenceContext context) =>
        _settings.IsObserved ? InvokeObservedAsync(input, context) : _next.InvokeAsync(input, context);

    private async ValueTask<TResult> InvokeObservedAsync(TInput input, InferenceContext context)
    {
        var settings = _settings;
        var activity = settings.StartActivity(input);
        var started = activity is not null || settings.NeedsTiming ? settings.TimeProvider.GetTimestamp() : 0L;
        try
        {
            settings.RecordInput(input);
            TResult result;
            try
            {
                result = await _next.InvokeAsync(input, context).ConfigureAwait(false);
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
