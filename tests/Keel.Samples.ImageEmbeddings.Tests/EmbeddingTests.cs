using System.Net.Http.Headers;
using System.Text.Json;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using Xunit.Abstractions;
using static Keel.Samples.ImageEmbeddings.Tests.TestSupport.TestImages;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>Real PNG and JPEG images, made by the test, through the real service process.</summary>
[Collection(SharedServiceCollection.Name)]
public sealed class EmbeddingTests(ServiceFixture fixture, ITestOutputHelper output)
{
    private HttpClient Client => fixture.Service.Client;

    [Theory]
    [InlineData("png", 32, 24)]
    [InlineData("png", 224, 224)]
    [InlineData("png", 640, 480)]
    [InlineData("jpeg", 48, 64)]
    [InlineData("jpeg", 800, 600)]
    [InlineData("jpeg", 1920, 1080)]
    public async Task Embeddings_RealImageOfAnySize_Returns512FiniteValues(string format, int width, int height)
    {
        var (bytes, mediaType) = format == "png" ? (Png(Scene.Target, width, height), "image/png") : (Jpeg(Scene.Target, width, height), "image/jpeg");

        var answer = await Api.EmbedAsync(Client, bytes, mediaType);

        Assert.All(answer.Values, static v => Assert.True(float.IsFinite(v)));
        Assert.Contains(answer.Values, static v => v != 0);
    }

    [Fact]
    public async Task Embeddings_SameBytes_AreTheSameValuesAsAFreshModelInThisProcess()
    {
        var png = Png(Scene.Landscape, 300, 200);
        var served = await Api.EmbedAsync(Client, png, "image/png");

        var decoded = new ImageDecoder(new ServiceOptions()).Decode(png, "image/png");
        using var model = new ResNet18(Path.Combine(AppContext.BaseDirectory, "Models"), intraOpThreads: 1);
        var local = model.Embed(decoded.Tensor!);

        Assert.Equal(local.Length, served.Values.Length);
        for (var i = 0; i < local.Length; i++)
        {
            Assert.True(Math.Abs(local[i] - served.Values[i]) <= 1e-4f * Math.Max(1, Math.Abs(local[i])), $"value {i}: {local[i]} here, {served.Values[i]} from the service");
        }
    }

    [Fact]
    public async Task Embeddings_SamePictureAsPngAndJpeg_AreCloserThanTwoUnrelatedPictures()
    {
        var png = await Api.EmbedAsync(Client, Png(Scene.Landscape, 640, 480), "image/png");
        var jpeg = await Api.EmbedAsync(Client, Jpeg(Scene.Landscape, 640, 480, quality: 85), "image/jpeg");
        var unrelated = await Api.EmbedAsync(Client, Png(Scene.Checkerboard, 640, 480), "image/png");

        var same = Api.Cosine(png.Values, jpeg.Values);
        var different = Api.Cosine(png.Values, unrelated.Values);
        output.WriteLine($"cosine, same picture as PNG and JPEG: {same:F4}; unrelated pictures: {different:F4}");

        Assert.True(same >= 0.95, $"PNG and JPEG of one picture: cosine {same}");
        Assert.True(different < same - 0.1, $"unrelated pictures: cosine {different}, same picture: {same}");
    }

    [Fact]
    public async Task Embeddings_SecondIdenticalRequest_IsCachedWithTheSameValues()
    {
        var png = Noise(seed: 1001);

        var first = await Api.EmbedAsync(Client, png, "image/png");
        var second = await Api.EmbedAsync(Client, png, "image/png");

        Assert.False(first.Cached);
        Assert.True(second.Cached);
        Assert.Equal(first.Values, second.Values);
    }

    [Fact]
    public async Task Embeddings_RawTensorOfAnImagesPixels_IsTheImagesCacheEntry()
    {
        var png = Noise(seed: 1002);
        var image = await Api.EmbedAsync(Client, png, "image/png");
        var pixels = new ImageDecoder(new ServiceOptions()).Decode(png, "image/png").Tensor!;
        var tensor = new byte[pixels.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.Buffer.Span).CopyTo(tensor);

        var raw = await Api.EmbedAsync(Client, tensor, "application/octet-stream");

        Assert.True(raw.Cached);
        Assert.Equal(image.Values, raw.Values);
    }

    [Fact]
    public async Task Similarity_TwoImages_ReturnsTheirCosineAndARepeatedImageIsCached()
    {
        var a = Noise(seed: 1003);
        var b = Jpeg(Scene.Checkerboard, 320, 240);
        var alone = await Api.EmbedAsync(Client, a, "image/png");
        var other = await Api.EmbedAsync(Client, b, "image/jpeg");

        using var form = new MultipartFormDataContent();
        form.Add(Part(a, "image/png"), "a", "a.png");
        form.Add(Part(b, "image/jpeg"), "b", "b.jpg");
        using var response = await Client.PostAsync(new Uri("/v1/similarity", UriKind.Relative), form);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(Api.Cosine(alone.Values, other.Values), document.RootElement.GetProperty("cosine").GetDouble(), 5);
        Assert.Equal([true, true], document.RootElement.GetProperty("cached").EnumerateArray().Select(static c => c.GetBoolean()));
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        using var live = await Client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private static ByteArrayContent Part(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }
}
