using System.Net.Http.Headers;
using System.Text;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using Xunit.Abstractions;
using static Keel.Samples.ImageEmbeddings.Tests.TestSupport.CraftedFiles;
using static Keel.Samples.ImageEmbeddings.Tests.TestSupport.TestImages;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>
/// Every kind of bad request the service should expect, against the real process: each answer must be the expected
/// 4xx as application/problem+json, none a 5xx, and the model must not run once for the whole corpus.
/// </summary>
[Collection(SharedServiceCollection.Name)]
public sealed class MalformedInputTests(ServiceFixture fixture, ITestOutputHelper output)
{
    private const string Png = "image/png";
    private const string Jpeg = "image/jpeg";
    private const string Tensor = "application/octet-stream";
    private const string Json = "application/json";

    [Fact]
    public async Task Corpus_EveryMalformedRequest_Is4xxProblemJsonAndNothingReachesTheModel()
    {
        var corpus = Corpus().ToList();
        Assert.True(corpus.Count >= 50, $"the corpus has {corpus.Count} kinds");
        var client = fixture.Service.Client;
        var runsBefore = await fixture.Service.MetricAsync("embeddings_model_runs_total");
        var forbiddenBefore = fixture.Forbidden.TotalRequests;

        var failures = new List<string>();
        foreach (var (name, send, expected) in corpus)
        {
            using var response = await send(client);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var problemJson = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            output.WriteLine($"{status} {name}: {body[..Math.Min(body.Length, 160)]}");
            if (status != expected || !problemJson)
            {
                failures.Add($"{name}: expected {expected} problem+json, got {status} {response.Content.Headers.ContentType}: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(runsBefore, await fixture.Service.MetricAsync("embeddings_model_runs_total"));
        Assert.Equal(forbiddenBefore, fixture.Forbidden.TotalRequests);
        Assert.Equal(0, await fixture.Service.MetricAsync("embeddings_requests_refused_total", "http_response_status_code=\"500\""));
    }

    private IEnumerable<(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, int Expected)> Corpus()
    {
        var jpeg = TestImages.Jpeg(Scene.Landscape, 320, 240);
        var png = TestImages.Png(Scene.Landscape, 320, 240);
        var images = fixture.Images;

        // Not images, or not the image they claim to be.
        yield return ("empty PNG body", Post([], Png), 422);
        yield return ("empty JPEG body", Post([], Jpeg), 422);
        yield return ("text as PNG", Post(Encoding.UTF8.GetBytes("hello, world"), Png), 422);
        for (var seed = 1; seed <= 4; seed++)
        {
            yield return ($"random bytes #{seed} as PNG", Post(Random(seed, 100 * seed * seed), Png), 422);
            yield return ($"random bytes #{seed} as JPEG", Post(Random(seed + 10, 100 * seed * seed), Jpeg), 422);
        }

        yield return ("PNG signature only", Post(PngSignature, Png), 422);
        yield return ("PNG truncated to half", Post(png[..(png.Length / 2)], Png), 422);
        yield return ("PNG truncated after its header", Post(png[..40], Png), 422);
        yield return ("PNG without image data", Post(CraftedFiles.Png(16, 16, withData: false), Png), 422);
        yield return ("PNG with garbage image data", Post(PngWithGarbageData(7), Png), 422);
        yield return ("PNG with a bad CRC", Post(PngWithBadCrc(), Png), 422);
        yield return ("PNG with a chunk declaring 2 GB", Post(PngWithHugeChunkLength(), Png), 422);
        yield return ("PNG with an invalid colour type", Post(CraftedFiles.Png(16, 16, colorType: 5), Png), 422);
        yield return ("PNG with an invalid bit depth", Post(CraftedFiles.Png(16, 16, bitDepth: 3), Png), 422);
        yield return ("PNG interlaced and truncated", Post(CraftedFiles.Png(64, 64, interlace: 1), Png), 422);
        yield return ("JPEG truncated to half", Post(jpeg[..(jpeg.Length / 2)], Jpeg), 422);
        yield return ("JPEG truncated after its markers", Post(jpeg[..200], Jpeg), 422);
        yield return ("JPEG start-of-image marker only", Post([0xFF, 0xD8], Jpeg), 422);
        yield return ("JPEG with an APP1 segment declaring 64 KB", Post(JpegWithHugeSegment(), Jpeg), 422);
        yield return ("JPEG sent as PNG", Post(jpeg, Png), 422);
        yield return ("PNG sent as JPEG", Post(png, Jpeg), 422);
        yield return ("GIF sent as PNG", Post(Gif(), Png), 422);
        yield return ("BMP sent as JPEG", Post(Bmp(), Jpeg), 422);

        // Hostile dimensions in a valid header: refused before decoding (a decompression bomb is never inflated).
        yield return ("PNG header 60000×60000", Post(CraftedFiles.Png(60000, 60000), Png), 422);
        yield return ("PNG header 20000×20000 (over the pixel limit)", Post(CraftedFiles.Png(20000, 20000), Png), 422);
        yield return ("PNG header 1×100000 (over the side limit)", Post(CraftedFiles.Png(1, 100000), Png), 422);
        yield return ("PNG header 0×0", Post(CraftedFiles.Png(0, 0), Png), 422);
        yield return ("PNG header 2147483647×1", Post(CraftedFiles.Png(int.MaxValue, 1), Png), 422);
        yield return ("JPEG header 60000×60000", Post(JpegWithDimensions(jpeg, 60000, 60000), Jpeg), 422);
        yield return ("JPEG header 20000×20000", Post(JpegWithDimensions(jpeg, 20000, 20000), Jpeg), 422);
        yield return ("JPEG header 320×0", Post(JpegWithDimensions(jpeg, 320, 0), Jpeg), 422);

        // Media types.
        yield return ("no Content-Type", Post(png, null), 415);
        yield return ("text/plain", Post(png, "text/plain"), 415);
        yield return ("application/xml", Post(Encoding.UTF8.GetBytes("<a/>"), "application/xml"), 415);
        yield return ("image/gif", Post(Gif(), "image/gif"), 415);
        yield return ("image/webp", Post(png, "image/webp"), 415);
        yield return ("multipart to /v1/embeddings", Post(png, "multipart/form-data; boundary=x"), 415);
        yield return ("a Content-Type that does not parse", Post(png, "image/png;;;=\"", raw: true), 415);

        // Raw tensors.
        yield return ("empty tensor", Post([], Tensor), 422);
        yield return ("1-byte tensor", Post([1], Tensor), 422);
        yield return ("tensor one value short", Post(new byte[602108], Tensor), 422);
        yield return ("tensor one value long", Post(new byte[602116], Tensor), 422);
        yield return ("tensor of two images", Post(new byte[2 * 602112], Tensor), 422);
        yield return ("tensor with a NaN", Post(CraftedFiles.Tensor(10, 5000, float.NaN), Tensor), 422);
        yield return ("tensor of NaN", Post(CraftedFiles.Tensor(float.NaN), Tensor), 422);
        yield return ("tensor with +Infinity", Post(CraftedFiles.Tensor(10, 7, float.PositiveInfinity), Tensor), 422);
        yield return ("tensor with -Infinity", Post(CraftedFiles.Tensor(10, 150527, float.NegativeInfinity), Tensor), 422);
        yield return ("tensor with -1 (below 0–255)", Post(CraftedFiles.Tensor(10, 99, -1), Tensor), 422);
        yield return ("tensor with 256 (above 0–255)", Post(CraftedFiles.Tensor(10, 100_000, 256), Tensor), 422);
        yield return ("tensor of 1e30", Post(CraftedFiles.Tensor(1e30f), Tensor), 422);
        yield return ("tensor of PNG bytes", Post(png, Tensor), 422);

        // Size.
        yield return ("PNG over 8 MiB, with Content-Length", Post(new byte[(8 << 20) + 1], Png), 413);
        yield return ("PNG over 8 MiB, chunked", Post(new byte[(8 << 20) + 1], Png, chunked: true), 413);
        yield return ("tensor over 8 MiB", Post(new byte[9 << 20], Tensor), 413);
        yield return ("JSON over 8 KiB", Post(Encoding.UTF8.GetBytes($"{{\"url\":\"{new string('a', 9000)}\"}}"), Json), 413);

        // URLs (fetching is on, from one allowed origin).
        yield return ("JSON syntax error", Post(Encoding.UTF8.GetBytes("{\"url\": "), Json), 400);
        yield return ("JSON array", Post(Encoding.UTF8.GetBytes("[1, 2]"), Json), 400);
        yield return ("JSON string", Post(Encoding.UTF8.GetBytes("\"http://x\""), Json), 400);
        yield return ("JSON with an unknown member", Post(Encoding.UTF8.GetBytes("{\"url\": \"http://x\", \"size\": 1}"), Json), 400);
        yield return ("JSON url of the wrong type", Post(Encoding.UTF8.GetBytes("{\"url\": 42}"), Json), 400);
        yield return ("JSON without url", Post(Encoding.UTF8.GetBytes("{}"), Json), 422);
        yield return ("JSON url null", Post(Encoding.UTF8.GetBytes("{\"url\": null}"), Json), 422);
        yield return ("relative URL", PostUrl("/landscape.png"), 422);
        yield return ("URL that does not parse", PostUrl("http://[::1"), 422);
        yield return ("URL of 3000 characters", PostUrl(images.Url("/" + new string('a', 3000)).ToString()), 422);
        yield return ("file URL", PostUrl("file:///etc/passwd"), 422);
        yield return ("ftp URL", PostUrl("ftp://127.0.0.1/landscape.png"), 422);
        yield return ("data URL", PostUrl("data:image/png;base64,iVBORw0KGgo="), 422);
        yield return ("URL with credentials to the allowed origin", PostUrl($"http://user:secret@{images.Address.Authority}/landscape.png"), 422);
        yield return ("URL to another host on 127.0.0.1", PostUrl(fixture.Forbidden.Url("/landscape.png").ToString()), 422);
        yield return ("URL to the allowed port on ::1", PostUrl($"http://[::1]:{images.Address.Port}/landscape.png"), 422);
        yield return ("URL to the cloud metadata address", PostUrl("http://169.254.169.254/latest/meta-data/"), 422);
        yield return ("URL to a private address", PostUrl("http://10.0.0.1/landscape.png"), 422);
        yield return ("URL to a host name not allowed", PostUrl("https://images.example.invalid/a.png"), 422);
        yield return ("https URL to the allowed host and port", PostUrl($"https://{images.Address.Authority}/landscape.png"), 422);
        yield return ("URL redirecting off the allow-list", PostUrl(images.Url("/redirect-away/corpus").ToString()), 422);
        yield return ("URL to an HTML page", PostUrl(images.Url("/html/corpus").ToString()), 422);
        yield return ("URL to an image over the limit", PostUrl(images.Url("/huge/corpus").ToString()), 422);

        // Similarity.
        yield return ("similarity with an image body", Post(png, Png, path: "/v1/similarity"), 415);
        yield return ("similarity multipart without boundary", Post(png, "multipart/form-data", path: "/v1/similarity"), 415);
        yield return ("similarity with one part", Form([(png, Png)]), 422);
        yield return ("similarity with three parts", Form([(png, Png), (png, Png), (jpeg, Jpeg)]), 422);
        yield return ("similarity with a text part", Form([(png, Png), (Encoding.UTF8.GetBytes("hi"), "text/plain")]), 415);
        yield return ("similarity with a garbage image", Form([(png, Png), (Random(99, 500), Jpeg)]), 422);
        yield return ("similarity with a 60000×60000 header", Form([(CraftedFiles.Png(60000, 60000), Png), (png, Png)]), 422);
        yield return ("similarity body that is not multipart", Post(Random(5, 300), "multipart/form-data; boundary=abc", path: "/v1/similarity"), 400);

        // HTTP.
        yield return ("GET /v1/embeddings", static c => c.GetAsync(new Uri("/v1/embeddings", UriKind.Relative)), 405);
        yield return ("PUT /v1/embeddings", c => c.PutAsync(new Uri("/v1/embeddings", UriKind.Relative), new ByteArrayContent(png)), 405);
        yield return ("unknown path", Post(png, Png, path: "/v2/embeddings"), 404);
        yield return ("a 20 KB request header and random bytes", c =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/embeddings", UriKind.Relative)) { Content = new ByteArrayContent(Random(3, 1000)) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(Png);
            request.Headers.TryAddWithoutValidation("X-Padding", new string('x', 20_000));
            return c.SendAsync(request);
        }, 422);
    }

    private static Func<HttpClient, Task<HttpResponseMessage>> Post(byte[] body, string? mediaType, string path = "/v1/embeddings", bool chunked = false, bool raw = false) => client =>
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (mediaType is not null)
        {
            if (raw)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
            }
            else
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            }
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        return client.SendAsync(request);
    };

    private static Func<HttpClient, Task<HttpResponseMessage>> PostUrl(string url) => client => Api.PostUrlAsync(client, url);

    private static Func<HttpClient, Task<HttpResponseMessage>> Form((byte[] Bytes, string MediaType)[] parts) => client =>
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < parts.Length; i++)
        {
            var part = new ByteArrayContent(parts[i].Bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(parts[i].MediaType);
            form.Add(part, $"image{i}", $"image{i}");
        }

        return client.PostAsync(new Uri("/v1/similarity", UriKind.Relative), form);
    };
}
