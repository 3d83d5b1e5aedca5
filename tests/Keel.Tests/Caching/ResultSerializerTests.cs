using System.Buffers;
using System.Text.Json.Serialization;
using Keel.Caching;

namespace Keel.Tests.Caching;

public class ResultSerializerTests
{
    [Fact]
    public void For_BuiltInTypes_RoundTrip()
    {
        Assert.Equal(0.875f, RoundTrip(0.875f));
        Assert.Equal(-3.5, RoundTrip(-3.5));
        Assert.Equal(42L, RoundTrip(42L));
        Assert.Equal([1f, -2f, float.MaxValue], RoundTrip(new[] { 1f, -2f, float.MaxValue }));
        Assert.Equal([(byte)1, (byte)255], RoundTrip(new byte[] { 1, 255 }));
        Assert.Equal([], RoundTrip(Array.Empty<int>()));
        Assert.Equal("grüße", RoundTrip("grüße"));
    }

    [Fact]
    public void For_TypeWithoutBuiltIn_ReturnsNull()
    {
        Assert.Null(ResultSerializer.For<Prediction>());
        Assert.Null(ResultSerializer.For<List<float>>());
    }

    [Fact]
    public void Deserialize_BytesOfAnotherElementType_ThrowsInvalidData()
    {
        var bytes = Serialize(new[] { 1, 2 });

        var exception = Assert.Throws<InvalidDataException>(() => ResultSerializer.For<float[]>()!.Deserialize(bytes));

        Assert.Equal("The cached bytes are not a System.Single[]: 14 bytes with tag 2.", exception.Message);
    }

    [Fact]
    public void Deserialize_TruncatedArray_ThrowsNamingBothLengths()
    {
        var bytes = Serialize(new[] { 1f, 2f, 3f });

        var exception = Assert.Throws<InvalidDataException>(() => ResultSerializer.For<float[]>()!.Deserialize(bytes.AsSpan(0, bytes.Length - 1)));

        Assert.Equal("The cached bytes declare 3 elements of System.Single but hold 11 bytes.", exception.Message);
    }

    [Fact]
    public void Deserialize_ScalarOfWrongSize_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ResultSerializer.For<double>()!.Deserialize(Serialize(1f)));
        Assert.Throws<InvalidDataException>(() => ResultSerializer.For<float>()!.Deserialize([]));
    }

    [Fact]
    public void Json_Record_RoundTrips()
    {
        var serializer = ResultSerializer.Json(TestJsonContext.Default.Prediction);
        var buffer = new ArrayBufferWriter<byte>();

        serializer.Serialize(new Prediction("fraud", 0.93f), buffer);

        Assert.Equal(new Prediction("fraud", 0.93f), serializer.Deserialize(buffer.WrittenSpan));
    }

    [Fact]
    public void Json_NotJson_ThrowsInvalidData()
    {
        var serializer = ResultSerializer.Json(TestJsonContext.Default.Prediction);

        Assert.Throws<InvalidDataException>(() => serializer.Deserialize("{not json"u8));
    }

    [Fact]
    public void Json_NullTypeInfo_ThrowsNamingTheParameter()
    {
        Assert.Equal("typeInfo", Assert.Throws<ArgumentNullException>(() => ResultSerializer.Json<Prediction>(null!)).ParamName);
    }

    private static T RoundTrip<T>(T value)
    {
        var serializer = ResultSerializer.For<T>()!;
        return serializer.Deserialize(Serialize(value));
    }

    private static byte[] Serialize<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ResultSerializer.For<T>()!.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}

[System.ComponentModel.ImmutableObject(true)]
public sealed record Prediction(string Label, float Score);

[JsonSerializable(typeof(Prediction))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
