using Keel.Caching;
using Keel.Pipeline.Descriptors;

namespace Keel;

/// <summary>
/// Describes a model input or result to the decorators that look inside it: its size in elements and its shape for
/// telemetry, and its canonical bytes for cache keys. A pipeline resolves the descriptor of its input and result types
/// once, when it is built, so no decorator reflects over, boxes or re-discovers a value per call.
/// </summary>
/// <typeparam name="T">The described type.</typeparam>
/// <remarks>
/// Keel describes arrays, multi-dimensional arrays, <see cref="Memory{T}"/>, <see cref="ReadOnlyMemory{T}"/> and
/// <see cref="System.Numerics.Tensors.Tensor{T}"/> of numeric elements, strings and numeric scalars; see
/// <see cref="ValueDescriptor.For{T}"/>. For any other type, such as a record of features, create one with
/// <see cref="ValueDescriptor.Create{T}(CacheKeyWriterCallback{T}, Func{T, long}?)"/> and pass it to the decorator.
/// </remarks>
public abstract class ValueDescriptor<T>
{
    /// <summary>Initializes a new instance of the <see cref="ValueDescriptor{T}"/> class.</summary>
    protected ValueDescriptor()
    {
    }

    /// <summary>Returns the number of elements in <paramref name="value"/>: its length for an array or tensor, 1 for a scalar, 0 for <see langword="null"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number of elements.</returns>
    public abstract long GetElementCount(T value);

    /// <summary>
    /// Returns a short description of the shape of <paramref name="value"/> for spans and logs, such as
    /// <c>float[1,3,224,224]</c>. It never includes the data. It allocates a string: call it only when the result
    /// is recorded.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>The description.</returns>
    public abstract string DescribeShape(T value);

    /// <summary>
    /// Writes the canonical bytes of <paramref name="value"/> for a cache key: two values get the same bytes only if
    /// the model would see them as the same input.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="writer">The writer.</param>
    public abstract void WriteKey(T value, ref CacheKeyWriter writer);

    /// <summary>
    /// Returns the elements of a value that is one contiguous vector, so the cache can hash and verify it in one
    /// pass each instead of going through <see cref="WriteKey"/>. The key it implies is exactly the one
    /// <see cref="WriteKey"/> writes: a one-dimensional tensor of <paramref name="elementCode"/>.
    /// </summary>
    internal virtual bool TryGetVector(T value, out ReadOnlySpan<byte> data, out byte elementCode, out int length)
    {
        data = default;
        elementCode = 0;
        length = 0;
        return false;
    }
}

/// <summary>Writes the canonical bytes of a value for a cache key.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="value">The value.</param>
/// <param name="writer">The writer to write each part of the value to, in a fixed order.</param>
public delegate void CacheKeyWriterCallback<in T>(T value, ref CacheKeyWriter writer);

/// <summary>Finds and creates <see cref="ValueDescriptor{T}"/> instances.</summary>
public static class ValueDescriptor
{
    /// <summary>
    /// Returns Keel's descriptor for <typeparamref name="T"/>, or <see langword="null"/> when Keel cannot describe it.
    /// </summary>
    /// <typeparam name="T">
    /// The type: an array, multi-dimensional array, <see cref="Memory{T}"/>, <see cref="ReadOnlyMemory{T}"/> or
    /// <see cref="System.Numerics.Tensors.Tensor{T}"/> whose elements are <see cref="bool"/>, <see cref="byte"/>,
    /// <see cref="sbyte"/>, <see cref="short"/>, <see cref="ushort"/>, <see cref="char"/>, <see cref="int"/>,
    /// <see cref="uint"/>, <see cref="long"/>, <see cref="ulong"/>, <see cref="Half"/>, <see cref="float"/> or
    /// <see cref="double"/>; a <see cref="string"/>; or one of those numeric types as a scalar.
    /// </typeparam>
    /// <returns>The descriptor, or <see langword="null"/>.</returns>
    public static ValueDescriptor<T>? For<T>() => BuiltInDescriptors<T>.Instance;

    /// <summary>
    /// Creates a descriptor for a type Keel does not describe itself, such as a record of features, from a callback
    /// that writes its fields to a cache key.
    /// </summary>
    /// <typeparam name="T">The described type.</typeparam>
    /// <param name="writeKey">
    /// Writes every field that affects the prediction, in a fixed order, for example
    /// <c>(Transaction t, ref CacheKeyWriter w) => { w.Write(t.Amount); w.Write(t.Merchant); }</c>.
    /// </param>
    /// <param name="elementCount">Returns the value's size in elements for telemetry; by default every value counts as 1.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writeKey"/> is <see langword="null"/>.</exception>
    public static ValueDescriptor<T> Create<T>(CacheKeyWriterCallback<T> writeKey, Func<T, long>? elementCount = null)
    {
        ArgumentNullException.ThrowIfNull(writeKey);
        return new CallbackDescriptor<T>(writeKey, elementCount);
    }

    /// <summary>
    /// Describes the input of a method with two parameters, a value tuple of its arguments, from its parts' descriptors:
    /// the cache key covers both parts (a <see cref="CancellationToken"/> is never a part), sizes add up and the shape
    /// lists both. The source generator emits this for a decorated method's parameter list.
    /// </summary>
    /// <typeparam name="T1">The first part's type.</typeparam>
    /// <typeparam name="T2">The second part's type.</typeparam>
    /// <param name="first">The first part's descriptor, for example <c>ValueDescriptor.For&lt;float[]&gt;()</c>.</param>
    /// <param name="second">The second part's descriptor.</param>
    /// <returns>The tuple's descriptor.</returns>
    /// <exception cref="ArgumentNullException">A descriptor is <see langword="null"/>.</exception>
    public static ValueDescriptor<(T1, T2)> Tuple<T1, T2>(ValueDescriptor<T1> first, ValueDescriptor<T2> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return new TupleDescriptor<T1, T2>(first, second);
    }

    /// <summary>Describes the input of a method with three parameters from its parts' descriptors.</summary>
    /// <typeparam name="T1">The first part's type.</typeparam>
    /// <typeparam name="T2">The second part's type.</typeparam>
    /// <typeparam name="T3">The third part's type.</typeparam>
    /// <param name="first">The first part's descriptor.</param>
    /// <param name="second">The second part's descriptor.</param>
    /// <param name="third">The third part's descriptor.</param>
    /// <returns>The tuple's descriptor.</returns>
    /// <exception cref="ArgumentNullException">A descriptor is <see langword="null"/>.</exception>
    public static ValueDescriptor<(T1, T2, T3)> Tuple<T1, T2, T3>(ValueDescriptor<T1> first, ValueDescriptor<T2> second, ValueDescriptor<T3> third)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        return new TupleDescriptor<T1, T2, T3>(first, second, third);
    }

    /// <summary>Describes the input of a method with four parameters from its parts' descriptors.</summary>
    /// <typeparam name="T1">The first part's type.</typeparam>
    /// <typeparam name="T2">The second part's type.</typeparam>
    /// <typeparam name="T3">The third part's type.</typeparam>
    /// <typeparam name="T4">The fourth part's type.</typeparam>
    /// <param name="first">The first part's descriptor.</param>
    /// <param name="second">The second part's descriptor.</param>
    /// <param name="third">The third part's descriptor.</param>
    /// <param name="fourth">The fourth part's descriptor.</param>
    /// <returns>The tuple's descriptor.</returns>
    /// <exception cref="ArgumentNullException">A descriptor is <see langword="null"/>.</exception>
    public static ValueDescriptor<(T1, T2, T3, T4)> Tuple<T1, T2, T3, T4>(ValueDescriptor<T1> first, ValueDescriptor<T2> second, ValueDescriptor<T3> third, ValueDescriptor<T4> fourth)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        ArgumentNullException.ThrowIfNull(fourth);
        return new TupleDescriptor<T1, T2, T3, T4>(first, second, third, fourth);
    }
}
