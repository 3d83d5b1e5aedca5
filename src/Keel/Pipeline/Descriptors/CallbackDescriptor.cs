using Keel.Caching;

namespace Keel.Pipeline.Descriptors;

/// <summary>A descriptor built from a key-writing callback, for types Keel does not describe itself.</summary>
internal sealed class CallbackDescriptor<T>(CacheKeyWriterCallback<T> writeKey, Func<T, long>? elementCount) : ValueDescriptor<T>
{
    public override long GetElementCount(T value) => value is null ? 0 : elementCount?.Invoke(value) ?? 1;

    public override string DescribeShape(T value) => value is null ? "null" : typeof(T).Name;

    public override void WriteKey(T value, ref CacheKeyWriter writer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writeKey(value, ref writer);
    }
}
