namespace Keel.Pipeline;

internal static class TimeProviderExtensions
{
    /// <summary>
    /// Waits for <paramref name="delay"/> on <paramref name="timeProvider"/>, cancelled by the context's token. On a
    /// synchronous call the wait blocks the calling thread and the returned task is already complete: on the system
    /// clock through the token's wait handle (no thread-pool thread needed), on any other clock through its timer.
    /// </summary>
    public static ValueTask DelayAsync(this TimeProvider timeProvider, TimeSpan delay, InferenceContext context)
    {
        if (delay <= TimeSpan.Zero)
        {
            return default;
        }

        var cancellationToken = context.CancellationToken;
        if (!context.IsSynchronous)
        {
            return new ValueTask(Task.Delay(delay, timeProvider, cancellationToken));
        }

        if (ReferenceEquals(timeProvider, TimeProvider.System))
        {
            if (cancellationToken.WaitHandle.WaitOne(delay))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        else
        {
            Task.Delay(delay, timeProvider, cancellationToken).GetAwaiter().GetResult();
        }

        return default;
    }
}
