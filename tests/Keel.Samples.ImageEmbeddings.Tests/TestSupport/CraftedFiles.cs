using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>Hand-made image files: valid structure with hostile values (60000×60000 headers), and broken ones.</summary>
internal static class CraftedFiles
{
    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A PNG whose header declares <paramref name="width"/>×<paramref name="height"/>, with one tiny compressed row (or none).</summary>
    public static byte[] Png(int width, int height, byte bitDepth = 8, byte colorType = 2, byte interlace = 0, bool withData = true)
    {
        var chunks = new List<(string, byte[])> { ("IHDR", Ihdr(width, height, bitDepth, colorType, interlace)) };
        if (withData)
        {
            chunks.Add(("IDAT", Deflate(new byte[1 + Math.Min(Math.Max(width, 0), 64) * 3])));
        }

        chunks.Add(("IEND", []));
        return Chunks(chunks);
    }

    /// <summary>A PNG of 16×16 pixels whose image data is random bytes behind a valid chunk CRC.</summary>
    public static byte[] PngWithGarbageData(int seed)
    {
        var garbage = new byte[256];
        new Random(seed).NextBytes(garbage);
        return Chunks([("IHDR", Ihdr(16, 16, 8, 2, 0)), ("IDAT", garbage), ("IEND", [])]);
    }

    /// <summary>A PNG whose IHDR chunk has a wrong CRC.</summary>
    public static byte[] PngWithBadCrc()
    {
        var png = Png(16, 16);
        png[PngSignature.Length + 8 + 13] ^= 0xFF;
        return png;
    }

    /// <summary>A PNG with a chunk that declares 2 GB and ends after a few bytes.</summary>
    public static byte[] PngWithHugeChunkLength()
    {
        var png = Png(16, 16).ToList();
        byte[] huge = [0x7F, 0xFF, 0xFF, 0xF0, (byte)'t', (byte)'E', (byte)'X', (byte)'t', 1, 2, 3];
        png.InsertRange(PngSignature.Length + 25, huge);
        return [.. png];
    }

    /// <summary>A real JPEG whose start-of-frame marker is rewritten to declare <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] JpegWithDimensions(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i < copy.Length - 9; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }

        throw new InvalidOperationException("No start-of-frame marker.");
    }

    /// <summary>A JPEG's start of image and an APP1 segment that declares 65533 bytes and ends after a few.</summary>
    public static byte[] JpegWithHugeSegment() => [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, 1, 2, 3];

    /// <summary>A 1×1 GIF89a.</summary>
    public static byte[] Gif() =>
    [
        .. Encoding.ASCII.GetBytes("GIF89a"), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255,
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B,
    ];

    /// <summary>A 2×2 24-bit BMP.</summary>
    public static byte[] Bmp()
    {
        var bmp = new byte[54 + 16];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    /// <summary>A raw tensor of the right length whose every value is <paramref name="fill"/>, with <paramref name="odd"/> at element <paramref name="index"/>.</summary>
    public static byte[] Tensor(float fill, int index = 0, float? odd = null)
    {
        var values = Enumerable.Repeat(fill, 3 * 224 * 224).ToArray();
        if (odd is { } value)
        {
            values[index] = value;
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    public static byte[] Random(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Ihdr(int width, int height, byte bitDepth, byte colorType, byte interlace)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        ihdr[12] = interlace;
        return ihdr;
    }

    private static byte[] Chunks(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        using var stream = new MemoryStream();
        stream.Write(PngSignature);
        Span<byte> length = stackalloc byte[4];
        Span<byte> crc = stackalloc byte[4];
        foreach (var (type, data) in chunks)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            stream.Write(length);
            var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            stream.Write(typed);
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
            stream.Write(crc);
        }

        return stream.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
