using System.Buffers;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>Reads a stream to its end unless it is longer than a limit, which it finds out without reading past it.</summary>
internal static class CappedReader
{
    /// <summary>Returns every byte of <paramref name="stream"/>, or <see langword="null"/> as soon as there are more than <paramref name="limit"/>.</summary>
    public static async ValueTask<byte[]?> ReadAsync(Stream stream, int limit, long? lengthHint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);

        // One buffer of the declared length (plus one byte, to see a body longer than it said), or one that grows.
        var capacity = lengthHint is { } hint && hint >= 0 && hint <= limit ? (int)hint + 1 : Math.Min(limit + 1, 64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)limit + 1, 2L * buffer.Length));
                    buffer.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = grown;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
