namespace Keel;

/// <summary>
/// Marks a failure as transient, so Keel's retry decorator retries it, and optionally carries the server's retry
/// hint (for example an HTTP <c>Retry-After</c> header), which the decorator honours up to <c>MaxDelay</c>.
/// </summary>
/// <example>
/// <code>
/// if (response.StatusCode == HttpStatusCode.TooManyRequests)
///     throw new TransientException("The feature store is throttling.") { RetryAfter = response.Headers.RetryAfter?.Delta };
/// </code>
/// </example>
public class TransientException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TransientException"/> class.</summary>
    public TransientException()
        : base("A transient failure occurred.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TransientException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public TransientException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TransientException"/> class with a message and the failure it wraps.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure that is transient.</param>
    public TransientException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets how long the server asked the client to wait before trying again, if it said.</summary>
    /// <value>The default value is <see langword="null"/>: the retry decorator uses its backoff.</value>
    public TimeSpan? RetryAfter { get; init; }
}
