using Keel.Caching;

namespace Keel.Pipeline.Descriptors;

/// <summary>
/// Describes the input of a method with several parameters — a value tuple of the arguments — from the descriptors of
/// its parts: the key is a tuple header then every part's key in order (each part's encoding is self-delimiting, so
/// <c>("ab", "c")</c> and <c>("a", "bc")</c> never share one), the size is the sum of the parts', and the shape lists
/// the parts'.
/// </summary>
internal sealed class TupleDescriptor<T1, T2>(ValueDescriptor<T1> first, ValueDescriptor<T2> second) : ValueDescriptor<(T1, T2)>
{
    public override long GetElementCount((T1, T2) value) => first.GetElementCount(value.Item1) + second.GetElementCount(value.Item2);

    public override string DescribeShape((T1, T2) value) => $"({first.DescribeShape(value.Item1)}, {second.DescribeShape(value.Item2)})";

    public override void WriteKey((T1, T2) value, ref CacheKeyWriter writer)
    {
        writer.WriteTupleHeader(2);
        first.WriteKey(value.Item1, ref writer);
        second.WriteKey(value.Item2, ref writer);
    }
}

/// <inheritdoc cref="TupleDescriptor{T1, T2}"/>
internal sealed class TupleDescriptor<T1, T2, T3>(ValueDescriptor<T1> first, ValueDescriptor<T2> second, ValueDescriptor<T3> third) : ValueDescriptor<(T1, T2, T3)>
{
    public override long GetElementCount((T1, T2, T3) value) =>
        first.GetElementCount(value.Item1) + second.GetElementCount(value.Item2) + third.GetElementCount(value.Item3);

    public override string DescribeShape((T1, T2, T3) value) =>
        $"({first.DescribeShape(value.Item1)}, {second.DescribeShape(value.Item2)}, {third.DescribeShape(value.Item3)})";

    public override void WriteKey((T1, T2, T3) value, ref CacheKeyWriter writer)
    {
        writer.WriteTupleHeader(3);
        first.WriteKey(value.Item1, ref writer);
        second.WriteKey(value.Item2, ref writer);
        third.WriteKey(value.Item3, ref writer);
    }
}

/// <inheritdoc cref="TupleDescriptor{T1, T2}"/>
internal sealed class TupleDescriptor<T1, T2, T3, T4>(ValueDescriptor<T1> first, ValueDescriptor<T2> second, ValueDescriptor<T3> third, ValueDescriptor<T4> fourth)
    : ValueDescriptor<(T1, T2, T3, T4)>
{
    public override long GetElementCount((T1, T2, T3, T4) value) =>
        first.GetElementCount(value.Item1) + second.GetElementCount(value.Item2) + third.GetElementCount(value.Item3) + fourth.GetElementCount(value.Item4);

    public override string DescribeShape((T1, T2, T3, T4) value) =>
        $"({first.DescribeShape(value.Item1)}, {second.DescribeShape(value.Item2)}, {third.DescribeShape(value.Item3)}, {fourth.DescribeShape(value.Item4)})";

    public override void WriteKey((T1, T2, T3, T4) value, ref CacheKeyWriter writer)
    {
        writer.WriteTupleHeader(4);
        first.WriteKey(value.Item1, ref writer);
        second.WriteKey(value.Item2, ref writer);
        third.WriteKey(value.Item3, ref writer);
        fourth.WriteKey(value.Item4, ref writer);
    }
}
