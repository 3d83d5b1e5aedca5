namespace Keel.Caching;

/// <summary>The element types a tensor key can hold, each with a stable one-byte code written into keys.</summary>
internal static class ElementTypes
{
    /// <summary>Returns the code of <typeparamref name="T"/>, or 0 when it is not supported. The JIT folds it to a constant.</summary>
    public static byte CodeOf<T>() =>
        typeof(T) == typeof(bool) ? (byte)1
        : typeof(T) == typeof(byte) ? (byte)2
        : typeof(T) == typeof(sbyte) ? (byte)3
        : typeof(T) == typeof(short) ? (byte)4
        : typeof(T) == typeof(ushort) ? (byte)5
        : typeof(T) == typeof(char) ? (byte)6
        : typeof(T) == typeof(int) ? (byte)7
        : typeof(T) == typeof(uint) ? (byte)8
        : typeof(T) == typeof(long) ? (byte)9
        : typeof(T) == typeof(ulong) ? (byte)10
        : typeof(T) == typeof(Half) ? (byte)11
        : typeof(T) == typeof(float) ? (byte)12
        : typeof(T) == typeof(double) ? (byte)13
        : (byte)0;

    /// <summary>Returns the code of <paramref name="type"/>, or 0 when it is not supported.</summary>
    public static byte CodeOf(Type type) =>
        type == typeof(bool) ? CodeOf<bool>()
        : type == typeof(byte) ? CodeOf<byte>()
        : type == typeof(sbyte) ? CodeOf<sbyte>()
        : type == typeof(short) ? CodeOf<short>()
        : type == typeof(ushort) ? CodeOf<ushort>()
        : type == typeof(char) ? CodeOf<char>()
        : type == typeof(int) ? CodeOf<int>()
        : type == typeof(uint) ? CodeOf<uint>()
        : type == typeof(long) ? CodeOf<long>()
        : type == typeof(ulong) ? CodeOf<ulong>()
        : type == typeof(Half) ? CodeOf<Half>()
        : type == typeof(float) ? CodeOf<float>()
        : type == typeof(double) ? CodeOf<double>()
        : (byte)0;

    /// <summary>Returns the C# keyword for a supported element type, for shape descriptions such as <c>float[1,64]</c>.</summary>
    public static string NameOf(Type type) =>
        type == typeof(bool) ? "bool"
        : type == typeof(byte) ? "byte"
        : type == typeof(sbyte) ? "sbyte"
        : type == typeof(short) ? "short"
        : type == typeof(ushort) ? "ushort"
        : type == typeof(char) ? "char"
        : type == typeof(int) ? "int"
        : type == typeof(uint) ? "uint"
        : type == typeof(long) ? "long"
        : type == typeof(ulong) ? "ulong"
        : type == typeof(Half) ? "Half"
        : type == typeof(float) ? "float"
        : type == typeof(double) ? "double"
        : type.Name;
}
