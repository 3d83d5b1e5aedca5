using Microsoft.AspNetCore.Diagnostics;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Runs before Keel's handler and answers nothing: it counts Keel's own refusals in
/// <c>embeddings_requests_refused_total</c> (422 <c>invalid-input</c> for a tensor validation rejects, 503
/// <c>memory-pressure</c> for the memory guard), so that the counter holds every refusal, the service's and Keel's.
/// </summary>
internal sealed class KeelRefusalCounter(ServiceMetrics metrics) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case InputValidationException:
                metrics.Refused(StatusCodes.Status422UnprocessableEntity, "invalid-input");
                break;
            case MemoryPressureException:
                metrics.Refused(StatusCodes.Status503ServiceUnavailable, "memory-pressure");
                break;
        }

        return ValueTask.FromResult(false);
    }
}
