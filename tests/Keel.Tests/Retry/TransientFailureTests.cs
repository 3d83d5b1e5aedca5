using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Keel.Retry;
using Polly.Timeout;

namespace Keel.Tests.Retry;

public class TransientFailureTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new TransientException("marked"), true },
        { new TimeoutException(), true },
        { new TimeoutRejectedException(), true },
        { new TaskCanceledException("HttpClient.Timeout", new TimeoutException()), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new IOException("connection reset", new SocketException((int)SocketError.ConnectionReset)), true },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), true },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), true },
        { new HttpRequestException("503", null, HttpStatusCode.ServiceUnavailable), true },
        { new HttpRequestException("500", null, HttpStatusCode.InternalServerError), true },
        { new HttpRequestException("429", null, HttpStatusCode.TooManyRequests), true },
        { new HttpRequestException("408", null, HttpStatusCode.RequestTimeout), true },
        { new TestDbException(isTransient: true), true },
        { new HttpRequestException("400", null, HttpStatusCode.BadRequest), false },
        { new HttpRequestException("404", null, HttpStatusCode.NotFound), false },
        { new HttpRequestException("401", null, HttpStatusCode.Unauthorized), false },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "bad certificate"), false },
        { new IOException("disk full"), false },
        { new FileNotFoundException("model.onnx"), false },
        { new OperationCanceledException(), false },
        { new TestDbException(isTransient: false), false },
        { new ArgumentException("bad id"), false },
        { new InvalidOperationException(), false },
        { new InputValidationException([new InputViolation("x", "finite", "finite values", "NaN")]), false },
        { new MemoryPressureException(0.95, 0.9, TimeSpan.FromSeconds(1)), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsTransient_ClassifiesFailure(Exception failure, bool expected) =>
        Assert.Equal(expected, TransientFailure.IsTransient(failure));

    [Fact]
    public void IsTransient_Null_ThrowsNamingTheParameter() =>
        Assert.Equal("exception", Assert.Throws<ArgumentNullException>(() => TransientFailure.IsTransient(null!)).ParamName);

    private sealed class TestDbException(bool isTransient) : DbException("database")
    {
        public override bool IsTransient { get; } = isTransient;
    }
}
