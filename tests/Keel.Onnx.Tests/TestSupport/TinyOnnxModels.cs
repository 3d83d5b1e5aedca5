using System.Text;

namespace Keel.Onnx.Tests.TestSupport;

/// <summary>
/// Writes tiny ONNX models (the protobuf ModelProto, by hand) for cases ResNet18 does not have: several inputs,
/// symbolic dimensions, non-numeric elements.
/// </summary>
public static class TinyOnnxModels
{
    public const int Float = 1;
    public const int String = 8;
    public const int Double = 11;

    /// <summary>c = Add(a, b), both float [batch, 4].</summary>
    public static byte[] TwoInputs() => Model(
        Node("Add", ["a", "b"], "c"),
        [Tensor("a", Float, "batch", 4), Tensor("b", Float, "batch", 4)],
        Tensor("c", Float, "batch", 4));

    /// <summary>y = Relu(x), x float [batch, 4] with a symbolic batch dimension.</summary>
    public static byte[] DynamicBatch() => Model(
        Node("Relu", ["x"], "y"),
        [Tensor("x", Float, "batch", 4)],
        Tensor("y", Float, "batch", 4));

    /// <summary>y = Relu(x), x double [2, 2].</summary>
    public static byte[] DoubleInput() => Model(
        Node("Relu", ["x"], "y"),
        [Tensor("x", Double, 2, 2)],
        Tensor("y", Double, 2, 2));

    /// <summary>y = Identity(s), s string [1].</summary>
    public static byte[] StringInput() => Model(
        Node("Identity", ["s"], "y"),
        [Tensor("s", String, 1)],
        Tensor("y", String, 1));

    private static byte[] Model(byte[] node, byte[][] inputs, byte[] output)
    {
        var graph = Concat([Field(1, node), Field(2, "g"), .. inputs.Select(static i => Field(11, i)), Field(12, output)]);
        var opset = Concat(Field(1, string.Empty), Varint(2, 13));
        return Concat(Varint(1, 8), Field(2, "keel-tests"), Field(7, graph), Field(8, opset));
    }

    private static byte[] Node(string op, string[] inputs, string output) =>
        Concat([.. inputs.Select(static i => Field(1, i)), Field(2, output), Field(4, op)]);

    private static byte[] Tensor(string name, int elementType, params object[] dimensions)
    {
        var shape = Concat([.. dimensions.Select(static d => Field(1, d is string symbol ? Field(2, symbol) : Varint(1, (int)d)))]);
        var tensorType = Concat(Varint(1, elementType), Field(2, shape));
        return Concat(Field(1, name), Field(2, Field(1, tensorType)));
    }

    private static byte[] Field(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int number, byte[] value) => Concat(Tag(number, 2), VarintBytes((ulong)value.Length), value);

    private static byte[] Varint(int number, long value) => Concat(Tag(number, 0), VarintBytes((ulong)value));

    private static byte[] Tag(int number, int wireType) => VarintBytes((ulong)((number << 3) | wireType));

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(static p => p)];
}
