using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// A request the service refuses before the model sees it: the HTTP status, a reason from a fixed vocabulary (the
/// problem's <c>reason</c> member and the <c>reason</c> label of <c>embeddings_requests_refused_total</c>), and a title
/// and detail that name the problem without echoing the request's content. The problem's <c>type</c> is ASP.NET
/// Core's default for the status: the RFC 9110 section that defines it.
/// </summary>
internal sealed record RequestProblem(int Status, string Reason, string Title, string Detail)
{

    public static RequestProblem UnsupportedMediaType(string? contentType, string accepted) => new(
        StatusCodes.Status415UnsupportedMediaType,
        "unsupported-media-type",
        "The request's media type is not supported.",
        contentType is null or ""
            ? $"The request has no Content-Type; send one of {accepted}."
            : $"Content-Type '{Truncate(contentType, 100)}' is not supported; send one of {accepted}.");

    public static RequestProblem TooLarge(long limit, long? declared) => new(
        StatusCodes.Status413PayloadTooLarge,
        "body-too-large",
        "The request body is too large.",
        declared is { } length
            ? string.Create(CultureInfo.InvariantCulture, $"The body declares {length} bytes; the limit is {limit} bytes.")
            : string.Create(CultureInfo.InvariantCulture, $"The body is longer than the limit of {limit} bytes."));

    public static RequestProblem Invalid(string reason, string title, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, reason, title, detail);

    public static RequestProblem BadRequest(string reason, string title, string detail) =>
        new(StatusCodes.Status400BadRequest, reason, title, detail);

    /// <summary>Shortens text taken from a request (a media type) before it goes into a message.</summary>
    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";

    public IResult ToResult(ServiceMetrics metrics)
    {
        metrics.Refused(Status, Reason);
        return TypedResults.Problem(Detail, statusCode: Status, title: Title, extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = Reason });
    }
}

/// <summary>The answer of <c>POST /v1/embeddings</c>.</summary>
internal sealed record EmbeddingResponse(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("dimensions")] int Dimensions,
    [property: JsonPropertyName("embedding")] float[] Embedding,
    [property: JsonPropertyName("cached")] bool Cached);

/// <summary>The answer of <c>POST /v1/similarity</c>.</summary>
internal sealed record SimilarityResponse(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("cosine")] double Cosine,
    [property: JsonPropertyName("cached")] bool[] Cached);

/// <summary>The JSON body of <c>POST /v1/embeddings</c> with <c>application/json</c>.</summary>
internal sealed record UrlRequest([property: JsonPropertyName("url")] string? Url);

/// <summary>Source-generated JSON metadata for every type the service reads or writes, so Native AOT needs no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EmbeddingResponse))]
[JsonSerializable(typeof(SimilarityResponse))]
[JsonSerializable(typeof(UrlRequest))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
