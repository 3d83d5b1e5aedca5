using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Runs after Keel's handler (which answers 422 and 503): a request Kestrel found malformed gets its own status as
/// problem+json, and anything else — a bug, never a bad request — a logged and counted 500 problem without details.
/// </summary>
internal sealed partial class ServiceExceptionHandler(IProblemDetailsService problems, ServiceMetrics metrics, ILogger<ServiceExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client is gone: nobody reads an answer
        }

        var (status, reason, title) = exception is BadHttpRequestException bad
            ? (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "body-too-large" : "bad-request", "The request is malformed.")
            : (StatusCodes.Status500InternalServerError, "internal-error", "The service failed to answer.");
        if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Path);
        }

        metrics.Refused(status, reason);
        httpContext.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Extensions = { ["reason"] = reason } },
        });
        return true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Request to {Path} failed.")]
    private partial void LogUnhandled(Exception exception, PathString path);
}
