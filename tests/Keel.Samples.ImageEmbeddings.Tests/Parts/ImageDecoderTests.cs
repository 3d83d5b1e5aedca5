using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using static Keel.Samples.ImageEmbeddings.Tests.TestSupport.TestImages;

namespace Keel.Samples.ImageEmbeddings.Tests.Parts;

public sealed class ImageDecoderTests
{
    private static ImageDecoder CreateSut() => new(new ServiceOptions());

    [Theory]
    [InlineData(224, 224)]
    [InlineData(17, 300)]
    [InlineData(4000, 3000)]
    public void Decode_JpegOfAnySize_IsOne224By224RgbTensorOf0To255(int width, int height)
    {
        var result = CreateSut().Decode(Jpeg(Scene.Target, width, height), ImageDecoder.Jpeg);

        Assert.Null(result.Problem);
        Assert.Equal([1, 3, 224, 224], result.Tensor!.Dimensions.ToArray());
        Assert.All(result.Tensor.Buffer.ToArray(), static v => Assert.InRange(v, 0, 255));
    }

    [Fact]
    public void Decode_CentreOfAWideImage_IsWhatTheCropKeeps()
    {
        // A 448×224 target: the crop keeps the middle 224×224 square, where the rings' red edge is not.
        var wide = CreateSut().Decode(Png(Scene.Checkerboard, 448, 224), ImageDecoder.Png).Tensor!;
        var square = CreateSut().Decode(Png(Scene.Checkerboard, 224, 224), ImageDecoder.Png).Tensor!;

        Assert.NotEqual(wide.Buffer.ToArray(), square.Buffer.ToArray());
    }

    [Fact]
    public void Decode_RedPixelsOfAPng_AreInTheFirstPlane()
    {
        var target = CreateSut().Decode(Png(Scene.Target, 320, 240), ImageDecoder.Png).Tensor!;

        // The outermost ring is red: near the left edge of the centre row, R is high and G and B are low.
        Assert.True(target[0, 0, 112, 18] > 200 && target[0, 1, 112, 18] < 50 && target[0, 2, 112, 18] < 50,
            $"R {target[0, 0, 112, 18]}, G {target[0, 1, 112, 18]}, B {target[0, 2, 112, 18]}");
    }

    [Theory]
    [InlineData(60000, 60000)]
    [InlineData(4097, 4097)]
    [InlineData(1, 20000)]
    public void Decode_HeaderDeclaringTooManyPixels_IsRefusedBeforeDecoding(int width, int height)
    {
        var result = CreateSut().Decode(CraftedFiles.Png(width, height), ImageDecoder.Png);

        Assert.Equal("image-dimensions", result.Problem?.Reason);
        Assert.Contains($"declares {width}×{height} pixels", result.Problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was decoded", result.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedPng_IsRefusedRatherThanFilledIn()
    {
        var png = Png(Scene.Landscape, 640, 480);

        var result = CreateSut().Decode(png.AsSpan(0, png.Length * 3 / 4), ImageDecoder.Png);

        Assert.Equal("truncated-image", result.Problem?.Reason);
    }

    [Fact]
    public void Decode_JpegDeclaredAsPng_IsAMismatch() =>
        Assert.Equal("media-type-mismatch", CreateSut().Decode(Jpeg(Scene.Target, 64, 64), ImageDecoder.Png).Problem?.Reason);

    [Fact]
    public void Decode_GifDeclaredAsPng_IsAnUnsupportedFormat() =>
        Assert.Equal("unsupported-image-format", CreateSut().Decode(CraftedFiles.Gif(), ImageDecoder.Png).Problem?.Reason);
}
