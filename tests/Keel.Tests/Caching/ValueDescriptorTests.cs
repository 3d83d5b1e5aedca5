using System.Numerics.Tensors;
using Keel.Caching;

namespace Keel.Tests.Caching;

public class ValueDescriptorTests
{
    [Fact]
    public void For_SupportedTypes_ReturnsDescriptor()
    {
        Assert.NotNull(ValueDescriptor.For<float[]>());
        Assert.NotNull(ValueDescriptor.For<double[]>());
        Assert.NotNull(ValueDescriptor.For<Half[]>());
        Assert.NotNull(ValueDescriptor.For<int[]>());
        Assert.NotNull(ValueDescriptor.For<long[]>());
        Assert.NotNull(ValueDescriptor.For<byte[]>());
        Assert.NotNull(ValueDescriptor.For<float[,]>());
        Assert.NotNull(ValueDescriptor.For<float[,,,]>());
        Assert.NotNull(ValueDescriptor.For<Memory<float>>());
        Assert.NotNull(ValueDescriptor.For<ReadOnlyMemory<byte>>());
        Assert.NotNull(ValueDescriptor.For<Tensor<float>>());
        Assert.NotNull(ValueDescriptor.For<string>());
        Assert.NotNull(ValueDescriptor.For<int>());
        Assert.NotNull(ValueDescriptor.For<double>());
    }

    [Fact]
    public void For_UnsupportedTypes_ReturnsNull()
    {
        Assert.Null(ValueDescriptor.For<object>());
        Assert.Null(ValueDescriptor.For<List<float>>());
        Assert.Null(ValueDescriptor.For<decimal[]>());
        Assert.Null(ValueDescriptor.For<DateTimeOffset>());
        Assert.Null(ValueDescriptor.For<float[][]>());
    }

    [Fact]
    public void DescribeShape_EachKind_NamesElementTypeAndLengths()
    {
        Assert.Equal("float[64]", ValueDescriptor.For<float[]>()!.DescribeShape(new float[64]));
        Assert.Equal("float[2,3]", ValueDescriptor.For<float[,]>()!.DescribeShape(new float[2, 3]));
        Assert.Equal("byte[5]", ValueDescriptor.For<ReadOnlyMemory<byte>>()!.DescribeShape(new byte[5]));
        Assert.Equal("float[1,3,224,224]", ValueDescriptor.For<Tensor<float>>()!.DescribeShape(ImageTensor()));
        Assert.Equal("string[5]", ValueDescriptor.For<string>()!.DescribeShape("hello"));
        Assert.Equal("double", ValueDescriptor.For<double>()!.DescribeShape(0.5));
        Assert.Equal("null", ValueDescriptor.For<float[]>()!.DescribeShape(null!));
    }

    [Fact]
    public void GetElementCount_EachKind_CountsElements()
    {
        Assert.Equal(64, ValueDescriptor.For<float[]>()!.GetElementCount(new float[64]));
        Assert.Equal(6, ValueDescriptor.For<float[,]>()!.GetElementCount(new float[2, 3]));
        Assert.Equal(150_528, ValueDescriptor.For<Tensor<float>>()!.GetElementCount(ImageTensor()));
        Assert.Equal(1, ValueDescriptor.For<int>()!.GetElementCount(7));
        Assert.Equal(0, ValueDescriptor.For<float[]>()!.GetElementCount(null!));
    }

    [Fact]
    public void WriteKey_SameBytesDifferentShape_DifferentKeys()
    {
        var wide = new float[1, 2] { { 1f, 2f } };
        var tall = new float[2, 1] { { 1f }, { 2f } };
        var descriptor = ValueDescriptor.For<float[,]>()!;

        Assert.NotEqual(CacheKeys.Hash(descriptor, wide), CacheKeys.Hash(descriptor, tall));
        Assert.False(CacheKeys.Matches(descriptor, wide, CacheKeys.Copy(descriptor, tall)));
    }

    [Fact]
    public void WriteKey_SameBytesDifferentElementType_DifferentKeys()
    {
        var floats = new[] { 1f, 2f };
        var ints = new[] { BitConverter.SingleToInt32Bits(1f), BitConverter.SingleToInt32Bits(2f) };

        var floatKey = CacheKeys.Copy(ValueDescriptor.For<float[]>()!, floats);
        var intKey = CacheKeys.Copy(ValueDescriptor.For<int[]>()!, ints);

        Assert.NotEqual(floatKey, intKey);
        Assert.False(CacheKeys.Matches(ValueDescriptor.For<int[]>()!, ints, floatKey));
        Assert.False(CacheKeys.Matches(ValueDescriptor.For<float[]>()!, floats, intKey));
        Assert.NotEqual(CacheKeys.Hash(ValueDescriptor.For<float[]>()!, floats), CacheKeys.Hash(ValueDescriptor.For<int[]>()!, ints));
    }

    [Fact]
    public void WriteKey_EqualValues_EqualKeysAndMatch()
    {
        var descriptor = ValueDescriptor.For<float[]>()!;
        var first = new[] { 0.25f, 0.5f, 0.75f };
        var second = new[] { 0.25f, 0.5f, 0.75f };

        Assert.Equal(CacheKeys.Hash(descriptor, first), CacheKeys.Hash(descriptor, second));
        Assert.True(CacheKeys.Matches(descriptor, second, CacheKeys.Copy(descriptor, first)));
    }

    [Fact]
    public void WriteKey_OneElementDiffers_NoMatch()
    {
        var descriptor = ValueDescriptor.For<float[]>()!;
        var stored = CacheKeys.Copy(descriptor, [0.25f, 0.5f, 0.75f]);

        Assert.False(CacheKeys.Matches(descriptor, [0.25f, 0.5f, 0.7500001f], stored));
        Assert.False(CacheKeys.Matches(descriptor, [0.25f, 0.5f], stored));
        Assert.False(CacheKeys.Matches(descriptor, [0.25f, 0.5f, 0.75f, 1f], stored));
    }

    [Fact]
    public void WriteKey_MemoryAndArrayOfSameData_MatchEachOther()
    {
        var data = new[] { 1f, 2f, 3f };
        var arrayKey = CacheKeys.Copy(ValueDescriptor.For<float[]>()!, data);

        Assert.True(CacheKeys.Matches(ValueDescriptor.For<ReadOnlyMemory<float>>()!, data.AsMemory(), arrayKey));
        Assert.True(CacheKeys.Matches(ValueDescriptor.For<Memory<float>>()!, data.AsMemory(), arrayKey));
    }

    [Fact]
    public void WriteKey_StridedTensorView_KeysLikeTheDenseTensorItEquals()
    {
        var descriptor = ValueDescriptor.For<Tensor<float>>()!;
        var source = Tensor.Create<float>([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        var column = source.Slice(.., 1..2);
        Assert.False(column.IsDense);

        var dense = Tensor.Create<float>([2f, 5f], [2, 1]);

        Assert.Equal(CacheKeys.Copy(descriptor, dense), CacheKeys.Copy(descriptor, column));
    }

    [Fact]
    public void WriteKey_Strings_DistinguishNullEmptyAndContent()
    {
        var descriptor = ValueDescriptor.For<string>()!;

        Assert.NotEqual(CacheKeys.Copy(descriptor, null!), CacheKeys.Copy(descriptor, string.Empty));
        Assert.NotEqual(CacheKeys.Copy(descriptor, "ab"), CacheKeys.Copy(descriptor, "ba"));
        Assert.True(CacheKeys.Matches(descriptor, "grüße", CacheKeys.Copy(descriptor, "grüße")));
        Assert.True(CacheKeys.Matches(descriptor, new string('x', 10_000), CacheKeys.Copy(descriptor, new string('x', 10_000))));
    }

    [Fact]
    public void Create_RecordWithCallback_KeysEveryWrittenField()
    {
        var descriptor = ValueDescriptor.Create<Transaction>(static (t, ref w) =>
        {
            w.Write(t.Amount);
            w.Write(t.Merchant);
        });

        var key = CacheKeys.Copy(descriptor, new Transaction(12.5f, "shop"));

        Assert.True(CacheKeys.Matches(descriptor, new Transaction(12.5f, "shop"), key));
        Assert.False(CacheKeys.Matches(descriptor, new Transaction(12.5f, "shop2"), key));
        Assert.False(CacheKeys.Matches(descriptor, new Transaction(-12.5f, "shop"), key));
        Assert.Equal(1, descriptor.GetElementCount(new Transaction(1, "a")));
        Assert.Equal("Transaction", descriptor.DescribeShape(new Transaction(1, "a")));
    }

    [Fact]
    public void Create_NullCallback_Throws()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => ValueDescriptor.Create<Transaction>(null!));
        Assert.Equal("writeKey", exception.ParamName);
    }

    [Fact]
    public void WriteTensor_UnsupportedElementType_ThrowsNamingTheType()
    {
        var descriptor = ValueDescriptor.Create<decimal[]>(static (value, ref writer) => writer.WriteTensor<decimal>(value, [value.Length]));

        var exception = Assert.Throws<NotSupportedException>(() => CacheKeys.Copy(descriptor, [1m]));
        Assert.Contains("System.Decimal", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTensor_LengthsDisagreeWithData_ThrowsWithBothNumbers()
    {
        var descriptor = ValueDescriptor.Create<float[]>(static (value, ref writer) => writer.WriteTensor<float>(value, [2, 3]));

        var exception = Assert.Throws<ArgumentException>(() => CacheKeys.Copy(descriptor, new float[5]));
        Assert.Equal("lengths", exception.ParamName);
        Assert.StartsWith("The product of lengths must equal the number of elements (5), but was 6.", exception.Message, StringComparison.Ordinal);
    }

    private static Tensor<float> ImageTensor() => Tensor.Create(new float[150_528], [1, 3, 224, 224]);

    private sealed record Transaction(float Amount, string Merchant);
}
