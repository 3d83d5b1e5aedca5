namespace Keel.Caching;

/// <summary>
/// The element types a tensor key can hold, each with a stable one-byte code written into keys (its position in the
/// table, from 1), its C# keyword for shape descriptions such as <c>float[1,64]</c>, and its size. One table, so code,
/// name and size can never disagree.
/// </summary>
internal static class ElementTypes
{
    // Codes are written into cache keys (also in Redis): append new types, never reorder.
    private static readonly (Type Type, string Name, int Size)[] s_types =
    [
        (typeof(bool), "bool", 1),
        (typeof(byte), "byte", 1),
        (typeof(sbyte), "sbyte", 1),
        (typeof(short), "short", 2),
        (typeof(ushort), "ushort", 2),
        (typeof(char), "char", 2),
        (typeof(int), "int", 4),
        (typeof(uint), "uint", 4),
        (typeof(long), "long", 8),
        (typeof(ulong), "ulong", 8),
        (typeof(Half), "Half", 2),
        (typeof(float), "float", 4),
        (typeof(double), "double", 8),
    ];

    /// <summary>Returns the code of <typeparamref name="T"/>, or 0 when it is not supported; a constant once the JIT has tiered up.</summary>
    public static byte CodeOf<T>() => Code<T>.Value;

    /// <summary>Returns the code of <paramref name="type"/>, or 0 when it is not supported.</summary>
    public static byte CodeOf(Type type) => (byte)(IndexOf(type) + 1);

    /// <summary>Returns the C# keyword of a supported element type, or the type's name.</summary>
    public static string NameOf(Type type) => IndexOf(type) is var i and >= 0 ? s_types[i].Name : type.Name;

    /// <summary>Returns the size in bytes of a supported element type, or 0.</summary>
    public static int SizeOf(Type type) => IndexOf(type) is var i and >= 0 ? s_types[i].Size : 0;

    private static int IndexOf(Type type) => Array.FindIndex(s_types, entry => entry.Type == type);

    private static class Code<T>
    {
        public static readonly byte Value = CodeOf(typeof(T));
    }
}
