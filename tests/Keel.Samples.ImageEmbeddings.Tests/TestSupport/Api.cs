using System.Net;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Text.Json;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>Calls the service's endpoints and reads their answers.</summary>
internal static class Api
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string? mediaType, string path = "/v1/embeddings")
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>Embeds an image (or tensor) and fails the test unless the answer is a 200 with 512 values.</summary>
    public static async Task<EmbeddingAnswer> EmbedAsync(HttpClient client, byte[] body, string mediaType)
    {
        using var response = await PostAsync(client, body, mediaType);
        return await ReadAsync(response);
    }

    public static async Task<EmbeddingAnswer> EmbedUrlAsync(HttpClient client, Uri url)
    {
        using var response = await PostUrlAsync(client, url.ToString());
        return await ReadAsync(response);
    }

    public static Task<HttpResponseMessage> PostUrlAsync(HttpClient client, string url) =>
        PostAsync(client, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["url"] = url }), "application/json");

    public static async Task<EmbeddingAnswer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal("resnet18", root.GetProperty("model").GetString());
        Assert.Equal("0.23.1", root.GetProperty("version").GetString());
        Assert.Equal(512, root.GetProperty("dimensions").GetInt32());
        var values = root.GetProperty("embedding").EnumerateArray().Select(static v => v.GetSingle()).ToArray();
        Assert.Equal(512, values.Length);
        return new EmbeddingAnswer(values, root.GetProperty("cached").GetBoolean());
    }

    /// <summary>Reads a problem+json answer: its status and its <c>reason</c>.</summary>
    public static async Task<(int Status, string? Reason, string Body)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Expected application/problem+json, got '{response.Content.Headers.ContentType}' with status {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal((int)response.StatusCode, document.RootElement.GetProperty("status").GetInt32());
        var reason = document.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return ((int)response.StatusCode, reason, body);
    }

    public static double Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}

internal sealed record EmbeddingAnswer(float[] Values, bool Cached);
