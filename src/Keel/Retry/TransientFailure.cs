using System.Data.Common;
using System.Net;
using System.Net.Sockets;

namespace Keel.Retry;

/// <summary>
/// Keel's default answer to "is this failure worth retrying?": only failures that a second attempt can plausibly fix.
/// Call it from a custom <see cref="RetryOptions.ShouldRetry"/> to extend the default rather than replace it.
/// </summary>
public static class TransientFailure
{
    /// <summary>
    /// Returns whether a failure is transient: a <see cref="TransientException"/>; a timeout
    /// (<see cref="TimeoutException"/>, Polly's <c>TimeoutRejectedException</c>, an <see cref="HttpClient"/>
    /// timeout); a network error (<see cref="SocketException"/>, an <see cref="IOException"/> caused by one, an
    /// <see cref="HttpRequestException"/> without a status code whose error is about the connection); an HTTP status of
    /// 408, 429 or 5xx; a <see cref="DbException"/> whose <see cref="DbException.IsTransient"/> is set; or a
    /// StackExchange.Redis connection error (its timeouts are <see cref="TimeoutException"/>s).
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when retrying may succeed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// A refusal by a decorator (<see cref="InferenceRefusedException"/>: <see cref="InputValidationException"/>,
    /// <see cref="MemoryPressureException"/>) and any other
    /// <see cref="OperationCanceledException"/> are never transient.
    /// </remarks>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            InferenceRefusedException => false,
            TransientException or TimeoutException or SocketException => true,
            HttpRequestException http => IsTransient(http),
            HttpIOException io => IsTransient(io.HttpRequestError),
            OperationCanceledException canceled => canceled.InnerException is TimeoutException,
            IOException io => io.InnerException is SocketException,
            DbException db => db.IsTransient,
            _ => IsNamed(exception, "StackExchange.Redis.RedisConnectionException") || IsNamed(exception, "Polly.Timeout.TimeoutRejectedException"),
        };
    }

    internal static bool IsTransient(HttpStatusCode statusCode) =>
        statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)statusCode >= 500;

    private static bool IsTransient(HttpRequestException exception) =>
        exception.StatusCode is { } status ? IsTransient(status) : IsTransient(exception.HttpRequestError);

    // Errors about reaching the server or the connection dropping; not TLS, authentication or protocol mismatches,
    // which a second attempt will meet again.
    private static bool IsTransient(HttpRequestError error) =>
        error is HttpRequestError.Unknown or HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.ProxyTunnelError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError;

    // Keel takes no dependency on StackExchange.Redis or Polly for one type test each; the names are part of those
    // libraries' public APIs.
    private static bool IsNamed(Exception exception, string fullName) => exception.GetType().FullName == fullName;
}
