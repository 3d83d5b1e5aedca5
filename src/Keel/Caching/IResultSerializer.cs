using System.Buffers;

namespace Keel.Caching;

/// <summary>
/// Turns a model's result into bytes for a shared cache level and back. Keel has built-in serializers for numeric
/// scalars, numeric arrays and strings (<see cref="ResultSerializer.For{T}"/>) and a System.Text.Json one for records
/// (<see cref="ResultSerializer.Json{T}(System.Text.Json.Serialization.Metadata.JsonTypeInfo{T})"/>).
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public interface IResultSerializer<T>
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>.</summary>
    /// <param name="value">The result.</param>
    /// <param name="destination">Where to write its bytes.</param>
    void Serialize(T value, IBufferWriter<byte> destination);

    /// <summary>Reads a result written by <see cref="Serialize"/>.</summary>
    /// <param name="source">The bytes.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a result of this type; the cache then treats the entry as missing.</exception>
    T Deserialize(ReadOnlySpan<byte> source);
}
