namespace Keel.Retry;

/// <summary>The arguments of <see cref="RetryOptions.OnRetry"/>, passed before each wait.</summary>
public readonly struct OnRetryArguments
{
    internal OnRetryArguments(int attemptNumber, TimeSpan delay, Exception exception, bool isRetryAfterHint, InferenceContext context)
    {
        AttemptNumber = attemptNumber;
        Delay = delay;
        Exception = exception;
        IsRetryAfterHint = isRetryAfterHint;
        Context = context;
    }

    /// <summary>Gets the number of the attempt that just failed, starting at 1; the next attempt is one more.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets how long the decorator will wait before the next attempt.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets the failure of the attempt that just ended.</summary>
    public Exception Exception { get; }

    /// <summary>Gets a value indicating whether <see cref="Delay"/> came from the failure's retry hint rather than from backoff.</summary>
    public bool IsRetryAfterHint { get; }

    /// <summary>
    /// Gets the context of the call. Contexts are pooled: read what you need during the callback and do not keep
    /// the context, or these arguments, after it returns.
    /// </summary>
    public InferenceContext Context { get; }
}
