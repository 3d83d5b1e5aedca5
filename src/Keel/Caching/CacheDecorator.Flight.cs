namespace Keel.Caching;

/// <summary>Single-flight: identical misses in flight wait for one model call instead of each making their own.</summary>
internal sealed partial class CacheDecorator<TInput, TResult>
{
    /// <summary>
    /// Waits for the leader of a flight. Returns its outcome, or <see langword="null"/> when the leader's caller cancelled
    /// (this caller did not): the caller then tries again, as the new leader if nobody else is.
    /// </summary>
    private static async ValueTask<(TResult Value, CacheLookupResult Result)?> WaitForLeaderAsync(Flight flight, InferenceContext context)
    {
        var waiting = flight.Completion.Task.WaitAsync(context.CancellationToken);
        try
        {
            return context.IsSynchronous ? waiting.GetAwaiter().GetResult() : await waiting.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (flight.LeaderCanceled && !context.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Hands the leader's failure to every waiter; a failure is never cached.</summary>
    private static void Fail(Flight flight, Exception exception, InferenceContext context)
    {
        flight.LeaderCanceled = exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested;
        if (flight.Completion.TrySetException(exception))
        {
            // Mark the failure observed: with no waiter it would otherwise surface as an unobserved task exception.
            _ = flight.Completion.Task.Exception;
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
