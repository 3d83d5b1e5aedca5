using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Keel.AspNetCore;

/// <summary>
/// Turns Keel's refusals into problem+json responses: <see cref="MemoryPressureException"/> into 503 with a
/// <c>Retry-After</c> header (whole seconds, rounded up), <see cref="InputValidationException"/> into 422 listing every
/// violation. Any other exception is left to the next handler. Every extension value is of a type in
/// <see cref="KeelProblemDetailsJsonContext"/>, so the responses serialize under Native AOT as well.
/// </summary>
internal sealed class KeelProblemDetailsExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public const string MemoryPressureType = "https://tools.ietf.org/html/rfc9110#section-15.6.4";
    public const string InvalidInputType = "https://tools.ietf.org/html/rfc9110#section-15.5.21";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case MemoryPressureException pressure:
                var seconds = RetryAfterSeconds(pressure.RetryAfter);
                httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                httpContext.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Type = MemoryPressureType,
                    Title = "The service is short of memory; retry later.",
                    Detail = pressure.Message,
                    Extensions =
                    {
                        ["memoryLoad"] = pressure.MemoryLoad,
                        ["maxMemoryLoad"] = pressure.MaxMemoryLoad,
                        ["retryAfterSeconds"] = seconds,
                    },
                };
                break;

            case InputValidationException invalid:
                httpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Type = InvalidInputType,
                    Title = "The input is invalid.",
                    Detail = invalid.Message,
                    Extensions =
                    {
                        ["violations"] = invalid.Violations.Select(static v => new ProblemViolation(v.Parameter, v.Rule, v.Expected, v.Actual, v.Message)).ToArray(),
                    },
                };
                break;

            default:
                return false;
        }

        // When the client accepts no JSON, the status and Retry-After still say everything that matters.
        await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whole seconds, rounded up, so a client never comes back before the hint.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) => (long)Math.Ceiling(retryAfter.TotalSeconds);
}
