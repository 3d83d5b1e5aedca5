using SkiaSharp;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>Real PNG and JPEG images drawn by the test: deterministic pictures at any size.</summary>
internal static class TestImages
{
    public enum Scene
    {
        /// <summary>A sky, a sun, hills and a lake.</summary>
        Landscape,

        /// <summary>A magenta and yellow checkerboard.</summary>
        Checkerboard,

        /// <summary>Concentric rings of saturated colour.</summary>
        Target,
    }

    public static byte[] Png(Scene scene, int width, int height) => Encode(scene, width, height, SKEncodedImageFormat.Png, 100);

    public static byte[] Jpeg(Scene scene, int width, int height, int quality = 90) => Encode(scene, width, height, SKEncodedImageFormat.Jpeg, quality);

    /// <summary>A PNG of random pixels from <paramref name="seed"/>: every seed is another picture (another cache key).</summary>
    public static byte[] Noise(int seed, int width = 64, int height = 48)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Encode(Scene scene, int width, int height, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Scale(width / 320f, height / 240f);
            Draw(canvas, scene);
        }

        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    private static void Draw(SKCanvas canvas, Scene scene)
    {
        using var paint = new SKPaint { IsAntialias = true };
        switch (scene)
        {
            case Scene.Landscape:
                paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, 160), [new SKColor(70, 130, 230), new SKColor(200, 230, 250)], SKShaderTileMode.Clamp);
                canvas.DrawRect(0, 0, 320, 240, paint);
                paint.Shader = null;
                paint.Color = new SKColor(255, 214, 90);
                canvas.DrawCircle(240, 60, 28, paint);
                using (var builder = new SKPathBuilder())
                {
                    builder.MoveTo(0, 160);
                    builder.CubicTo(60, 110, 120, 190, 180, 120);
                    builder.CubicTo(230, 80, 280, 170, 320, 140);
                    builder.LineTo(320, 240);
                    builder.LineTo(0, 240);
                    builder.Close();
                    using var hills = builder.Detach();
                    paint.Color = new SKColor(60, 140, 50);
                    canvas.DrawPath(hills, paint);
                }

                paint.Color = new SKColor(40, 100, 170);
                canvas.DrawRect(0, 200, 320, 40, paint);
                break;

            case Scene.Checkerboard:
                for (var y = 0; y < 6; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        paint.Color = (x + y) % 2 == 0 ? new SKColor(200, 30, 200) : new SKColor(250, 240, 20);
                        canvas.DrawRect(x * 40, y * 40, 40, 40, paint);
                    }
                }

                break;

            case Scene.Target:
                canvas.Clear(SKColors.White);
                SKColor[] rings = [SKColors.Red, SKColors.Blue, SKColors.Black, SKColors.Orange, SKColors.Green];
                for (var i = 0; i < rings.Length; i++)
                {
                    paint.Color = rings[i];
                    canvas.DrawCircle(160, 120, 110 - (i * 22), paint);
                }

                break;
        }
    }
}
