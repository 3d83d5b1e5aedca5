namespace Keel.Retry;

/// <summary>The arguments of <see cref="RetryOptions.ShouldRetry"/>.</summary>
public readonly struct RetryPredicateArguments
{
    internal RetryPredicateArguments(Exception exception, int attemptNumber, InferenceContext context)
    {
        Exception = exception;
        AttemptNumber = attemptNumber;
        Context = context;
    }

    /// <summary>Gets the failure of the attempt that just ended.</summary>
    public Exception Exception { get; }

    /// <summary>Gets the number of the attempt that just failed, starting at 1.</summary>
    public int AttemptNumber { get; }

    /// <summary>
    /// Gets the context of the call. Contexts are pooled: read what you need during the callback and do not keep
    /// the context, or these arguments, after it returns.
    /// </summary>
    public InferenceContext Context { get; }
}
