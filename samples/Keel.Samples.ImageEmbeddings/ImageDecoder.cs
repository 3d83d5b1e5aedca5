using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// Turns PNG and JPEG bytes into the tensor ResNet18's preprocessing graph takes, as ML.NET's image featurizer
/// prepares it: scaled so the shorter side is 224 and cropped to the centre 224×224 (ML.NET's <c>IsoCrop</c>), then
/// 0–255 RGB values, channels first. Safety first (see the README): only PNG and JPEG are decoded, whatever else Skia
/// could read; the format sniffed from the bytes must be the one the Content-Type names; the dimensions in the header
/// are checked before a single pixel is allocated (a 60000×60000 header in a 100-byte file is refused, not decoded);
/// a JPEG is decoded at the smallest of libjpeg's 1/8 steps that still covers 224 pixels; a truncated image is refused
/// rather than embedded with its missing rows filled in.
/// </summary>
internal sealed class ImageDecoder(ServiceOptions options)
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    /// <summary>Decodes <paramref name="bytes"/>, which the request says are <paramref name="mediaType"/> (<see cref="Png"/> or <see cref="Jpeg"/>).</summary>
    public DecodeResult Decode(ReadOnlySpan<byte> bytes, string mediaType)
    {
        var expected = mediaType == Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        var name = mediaType == Png ? "PNG" : "JPEG";
        if (bytes.IsEmpty)
        {
            return Fail("empty-body", "The request body is empty.", $"The body must be a {name} image.");
        }

        try
        {
            using var data = SKData.CreateCopy(bytes);
            using var stream = new SKMemoryStream(data);
            using var codec = SKCodec.Create(stream, out _);
            if (codec is null)
            {
                return Fail("not-an-image", "The body is not an image that can be decoded.", $"The body was declared {name} but is not a PNG or JPEG image.");
            }

            if (codec.EncodedFormat != expected)
            {
                return codec.EncodedFormat is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg
                    ? Fail("media-type-mismatch", "The image's format is not the one its Content-Type names.", $"Content-Type is {mediaType}, but the body is a {FormatName(codec.EncodedFormat)} image.")
                    : Fail("unsupported-image-format", "Only PNG and JPEG images are accepted.", $"The body is a {FormatName(codec.EncodedFormat)} image; send PNG or JPEG.");
            }

            var width = codec.Info.Width;
            var height = codec.Info.Height;
            if (width < 1 || height < 1 || width > options.MaxImageSide || height > options.MaxImageSide || (long)width * height > options.MaxImagePixels)
            {
                return Fail("image-dimensions", "The image's dimensions are out of range.", string.Create(CultureInfo.InvariantCulture,
                    $"The image header declares {width}×{height} pixels; each side must be from 1 to {options.MaxImageSide} and the area at most {options.MaxImagePixels} pixels. Nothing was decoded."));
            }

            var decodeSize = DecodeSize(codec, expected);
            var info = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var decoded = new SKBitmap(info);
            var result = codec.GetPixels(info, decoded.GetPixels());
            return result == SKCodecResult.Success
                ? DecodeResult.Of(ToTensor(decoded))
                : Fail(result == SKCodecResult.IncompleteInput ? "truncated-image" : "corrupt-image", "The image could not be decoded.",
                    $"The {name} image is {(result == SKCodecResult.IncompleteInput ? "truncated" : "corrupt")} ({Describe(result)}).");
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return Fail("corrupt-image", "The image could not be decoded.", $"The {name} image could not be decoded ({exception.GetType().Name}).");
        }
    }

    /// <summary>The decoded size: the header's, or for JPEG the smallest DCT scale whose shorter side still covers 224.</summary>
    private static SKSizeI DecodeSize(SKCodec codec, SKEncodedImageFormat format)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (format != SKEncodedImageFormat.Jpeg || Math.Min(full.Width, full.Height) <= 2 * ResNet18.Side)
        {
            return full;
        }

        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Min(scaled.Width, scaled.Height) >= ResNet18.Side && scaled.Width <= full.Width && scaled.Height <= full.Height)
            {
                return scaled;
            }
        }

        return full;
    }

    /// <summary>Scales the shorter side to 224, crops the centre, and writes R, G and B planes of 0–255 values.</summary>
    private static DenseTensor<float> ToTensor(SKBitmap decoded)
    {
        const int side = ResNet18.Side;
        var scale = (float)side / Math.Min(decoded.Width, decoded.Height);
        var cropWidth = side / scale;
        var cropHeight = side / scale;
        var source = SKRect.Create((decoded.Width - cropWidth) / 2, (decoded.Height - cropHeight) / 2, cropWidth, cropHeight);

        using var image = SKImage.FromBitmap(decoded);
        using var target = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.DrawImage(image, source, SKRect.Create(side, side), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint: null);
        }

        var pixels = target.GetPixelSpan();
        var values = new float[ResNet18.PixelValues];
        const int plane = side * side;
        for (var i = 0; i < plane; i++)
        {
            values[i] = pixels[4 * i];
            values[plane + i] = pixels[(4 * i) + 1];
            values[(2 * plane) + i] = pixels[(4 * i) + 2];
        }

        return new DenseTensor<float>(values, [1, ResNet18.Channels, side, side]);
    }

    private static DecodeResult Fail(string reason, string title, string detail) => DecodeResult.Of(RequestProblem.Invalid(reason, title, detail));

    private static string FormatName(SKEncodedImageFormat format) => format.ToString().ToUpperInvariant();

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends before the image does",
        SKCodecResult.ErrorInInput => "the data has errors",
        SKCodecResult.InvalidInput => "the data is not a valid image",
        SKCodecResult.InvalidConversion => "the pixels cannot be converted to RGB",
        SKCodecResult.InvalidScale => "the image cannot be scaled",
        SKCodecResult.InvalidParameters => "the image's parameters are invalid",
        SKCodecResult.CouldNotRewind => "the data could not be re-read",
        SKCodecResult.InternalError => "the decoder failed",
        SKCodecResult.Unimplemented => "the image uses a feature the decoder does not support",
        _ => "unrecognised data",
    };
}

/// <summary>A decoded tensor, or why there is none.</summary>
internal readonly struct DecodeResult
{
    private DecodeResult(DenseTensor<float>? tensor, RequestProblem? problem)
    {
        Tensor = tensor;
        Problem = problem;
    }

    public DenseTensor<float>? Tensor { get; }

    public RequestProblem? Problem { get; }

    public static DecodeResult Of(DenseTensor<float> tensor) => new(tensor, null);

    public static DecodeResult Of(RequestProblem problem) => new(null, problem);
}
