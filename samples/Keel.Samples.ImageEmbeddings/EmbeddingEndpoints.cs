using System.Buffers.Binary;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.Net.Http.Headers;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// <c>POST /v1/embeddings</c> and <c>POST /v1/similarity</c>. A request is refused with a problem+json 4xx naming
/// what is wrong — media type (415), size (413), an image or tensor that is not what the model takes (422), a URL
/// the service may not fetch (422), an origin that keeps failing (502) — and then nothing reaches the model. Keel's
/// decorators answer the rest: 422 for invalid values, 503 with Retry-After under memory pressure.
/// </summary>
internal sealed class EmbeddingEndpoints(
    EmbeddingModel model,
    ImageDecoder decoder,
    ImageFetcher fetcher,
    ServiceOptions options,
    ServiceMetrics metrics,
    [FromKeyedServices(EmbeddingEndpoints.InferenceGate)] AdmissionGate inferenceGate,
    [FromKeyedServices(EmbeddingEndpoints.FetchGate)] AdmissionGate fetchGate)
{
    public const string InferenceGate = "inference";
    public const string FetchGate = "fetch";
    public const int MaxJsonBytes = 8 * 1024;
    private const string OctetStream = "application/octet-stream";
    private const string Json = "application/json";
    private const string Multipart = "multipart/form-data";
    private const string EmbeddingTypes = "image/png, image/jpeg, application/octet-stream (a 1×3×224×224 float32 little-endian tensor of 0–255 RGB values) or application/json ({\"url\": …})";

    public static void Map(IEndpointRouteBuilder app, bool benchmarkEndpoints)
    {
        app.MapPost(ServicePaths.Embeddings, static (HttpContext context, [FromServices] EmbeddingEndpoints endpoints) => endpoints.EmbedAsync(context, decorated: true));
        app.MapPost(ServicePaths.Similarity, static (HttpContext context, [FromServices] EmbeddingEndpoints endpoints) => endpoints.SimilarityAsync(context));
        if (benchmarkEndpoints)
        {
            app.MapPost(ServicePaths.Undecorated, static (HttpContext context, [FromServices] EmbeddingEndpoints endpoints) => endpoints.EmbedAsync(context, decorated: false));
        }
    }

    private async Task<IResult> EmbedAsync(HttpContext context, bool decorated)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        var mediaType = MediaType(request.ContentType);
        switch (mediaType)
        {
            case ImageDecoder.Png or ImageDecoder.Jpeg:
            {
                var body = await ReadBodyAsync(request, options.MaxImageBytes);
                return body.Problem?.ToResult(metrics) ?? await EmbedImageAsync(body.Bytes!, mediaType, decorated, aborted);
            }

            case OctetStream:
            {
                var body = await ReadBodyAsync(request, options.MaxImageBytes);
                if (body.Problem is { } tooLarge)
                {
                    return tooLarge.ToResult(metrics);
                }

                if (body.Bytes!.Length != ResNet18.TensorBytes)
                {
                    return RequestProblem.Invalid("tensor-length", "The tensor has the wrong length.", string.Create(CultureInfo.InvariantCulture,
                        $"A raw tensor is 1×3×224×224 float32 little-endian values, {ResNet18.TensorBytes} bytes; the body has {body.Bytes.Length} bytes.")).ToResult(metrics);
                }

                return await EmbedTensorAsync(ToTensor(body.Bytes), decorated, aborted);
            }

            case Json when decorated:
            {
                var body = await ReadBodyAsync(request, MaxJsonBytes);
                if (body.Problem is { } tooLarge)
                {
                    return tooLarge.ToResult(metrics);
                }

                if (ParseUrl(body.Bytes!, out var url) is { } invalid)
                {
                    return invalid.ToResult(metrics);
                }

                using var fetchSlot = await fetchGate.EnterAsync(aborted);
                if (fetchSlot is null)
                {
                    return Overloaded();
                }

                var fetched = await fetcher.FetchAsync(url, aborted);
                return fetched.Problem?.ToResult(metrics) ?? await EmbedImageAsync(fetched.Image!.Bytes, fetched.Image.MediaType, decorated, aborted);
            }

            default:
                return RequestProblem.UnsupportedMediaType(request.ContentType, decorated ? EmbeddingTypes : "image/png, image/jpeg or application/octet-stream").ToResult(metrics);
        }
    }

    private async Task<IResult> SimilarityAsync(HttpContext context)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        if (MediaType(request.ContentType) != Multipart
            || !MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return RequestProblem.UnsupportedMediaType(request.ContentType, "multipart/form-data with two parts, each image/png or image/jpeg (curl -F a=@one.png -F b=@two.jpg)").ToResult(metrics);
        }

        var total = (2L * options.MaxImageBytes) + (64 * 1024);
        if (request.ContentLength > total)
        {
            return RequestProblem.TooLarge(total, request.ContentLength).ToResult(metrics);
        }

        AllowBody(context, total);
        var images = new List<(byte[] Bytes, string MediaType)>(2);
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024, BodyLengthLimit = options.MaxImageBytes + 1L };
            while (await reader.ReadNextSectionAsync(aborted) is { } section)
            {
                if (images.Count == 2)
                {
                    return PartsProblem("The request has more than two parts.");
                }

                var partType = MediaType(section.ContentType);
                if (partType is not (ImageDecoder.Png or ImageDecoder.Jpeg))
                {
                    return RequestProblem.UnsupportedMediaType(section.ContentType, "image/png or image/jpeg for each part").ToResult(metrics);
                }

                var bytes = await CappedReader.ReadAsync(section.Body, options.MaxImageBytes, null, aborted);
                if (bytes is null)
                {
                    return RequestProblem.TooLarge(options.MaxImageBytes, null).ToResult(metrics);
                }

                images.Add((bytes, partType));
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException && !aborted.IsCancellationRequested)
        {
            return RequestProblem.BadRequest("invalid-multipart", "The multipart body is malformed.", "The body is not well-formed multipart/form-data with the boundary its Content-Type names.").ToResult(metrics);
        }

        if (images.Count != 2)
        {
            return PartsProblem(string.Create(CultureInfo.InvariantCulture, $"The request has {images.Count} part(s)."));
        }

        using var slot = await inferenceGate.EnterAsync(aborted);
        if (slot is null)
        {
            return Overloaded();
        }

        var tensors = new DenseTensor<float>[2];
        for (var i = 0; i < 2; i++)
        {
            var decoded = decoder.Decode(images[i].Bytes, images[i].MediaType);
            if (decoded.Problem is { } problem)
            {
                return (problem with { Detail = string.Create(CultureInfo.InvariantCulture, $"Part {i + 1}: {problem.Detail}") }).ToResult(metrics);
            }

            tensors[i] = decoded.Tensor!;
        }

        var first = await model.GetEmbeddingAsync(tensors[0], aborted);
        var second = await model.GetEmbeddingAsync(tensors[1], aborted);
        var cosine = TensorPrimitives.CosineSimilarity(first.Values, second.Values);
        return TypedResults.Json(new SimilarityResponse(ResNet18.Name, ResNet18.Version, cosine, [first.Cached, second.Cached]), ServiceJsonContext.Default.SimilarityResponse);
    }

    private async Task<IResult> EmbedImageAsync(byte[] bytes, string mediaType, bool decorated, CancellationToken aborted)
    {
        using var slot = await inferenceGate.EnterAsync(aborted);
        if (slot is null)
        {
            return Overloaded();
        }

        var decoded = decoder.Decode(bytes, mediaType);
        return decoded.Problem?.ToResult(metrics) ?? await EmbedAdmittedAsync(decoded.Tensor!, decorated, aborted);
    }

    private async Task<IResult> EmbedTensorAsync(DenseTensor<float> tensor, bool decorated, CancellationToken aborted)
    {
        using var slot = await inferenceGate.EnterAsync(aborted);
        return slot is null ? Overloaded() : await EmbedAdmittedAsync(tensor, decorated, aborted);
    }

    private async Task<IResult> EmbedAdmittedAsync(DenseTensor<float> tensor, bool decorated, CancellationToken aborted)
    {
        var embedding = decorated ? await model.GetEmbeddingAsync(tensor, aborted) : new Embedding(model.EmbedUndecorated(tensor), Cached: false);
        return TypedResults.Json(new EmbeddingResponse(ResNet18.Name, ResNet18.Version, ResNet18.Dimensions, embedding.Values, embedding.Cached), ServiceJsonContext.Default.EmbeddingResponse);
    }

    private IResult Overloaded()
    {
        var seconds = (long)Math.Ceiling(options.ShedRetryAfter.TotalSeconds);
        var problem = new RequestProblem(StatusCodes.Status503ServiceUnavailable, "overloaded", "The service is at capacity; retry later.",
            string.Create(CultureInfo.InvariantCulture, $"Every one of the {options.MaxInFlight} slots and the queue of {options.MaxQueue} are taken; retry after {seconds} s."));
        return new RetryAfterResult(problem.ToResult(metrics), seconds);
    }

    private IResult PartsProblem(string detail) =>
        RequestProblem.Invalid("similarity-parts", "The similarity of two images needs exactly two image parts.", detail).ToResult(metrics);

    /// <summary>Reads the whole body, or refuses it (413) as soon as it is longer than <paramref name="limit"/>.</summary>
    private async ValueTask<(byte[]? Bytes, RequestProblem? Problem)> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return (null, RequestProblem.TooLarge(limit, request.ContentLength));
        }

        AllowBody(request.HttpContext, limit);
        var bytes = await CappedReader.ReadAsync(request.Body, limit, request.ContentLength, request.HttpContext.RequestAborted);
        return bytes is null ? (null, RequestProblem.TooLarge(limit, null)) : (bytes, null);
    }

    /// <summary>Lets Kestrel accept one byte more than the endpoint's own limit, so that the endpoint is the one to answer 413.</summary>
    private static void AllowBody(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1;
        }
    }

    private static RequestProblem? ParseUrl(byte[] body, out string? url)
    {
        url = null;
        try
        {
            var parsed = JsonSerializer.Deserialize(body, ServiceJsonContext.Default.UrlRequest);
            url = parsed?.Url;
            return null;
        }
        catch (JsonException)
        {
            return RequestProblem.BadRequest("invalid-json", "The body is not the JSON the endpoint takes.", "Send a JSON object with one member, {\"url\": \"https://…\"}.");
        }
    }

    private static DenseTensor<float> ToTensor(byte[] bytes)
    {
        var values = new float[ResNet18.PixelValues];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }
        }

        return new DenseTensor<float>(values, [1, ResNet18.Channels, ResNet18.Side, ResNet18.Side]);
    }

    private static string? MediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.HasValue ? parsed.MediaType.Value!.ToLowerInvariant() : null;

    /// <summary>A result with a <c>Retry-After</c> header.</summary>
    private sealed class RetryAfterResult(IResult inner, long seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
