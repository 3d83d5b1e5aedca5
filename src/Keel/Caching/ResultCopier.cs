using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Keel.Caching;

/// <summary>
/// Hands a cached result to a caller: returns a value the caller may change without changing what the cache serves
/// to anyone else. Keel has copiers for immutable types (handed out as they are) and for arrays (copied as deep as
/// they go); for any other result type, supply one with <see cref="ResultCopier.Register{T}(ResultCopier{T})"/>, or
/// the cache refuses the type when the pipeline is built.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public abstract class ResultCopier<T>
{
    /// <summary>Returns what a caller receives for the cached <paramref name="value"/>: <paramref name="value"/> itself only if no caller can change it.</summary>
    /// <param name="value">The cached result; never changed by the copier.</param>
    /// <returns>The value to hand out.</returns>
    public abstract T Copy(T value);
}

/// <summary>Creates, registers and resolves <see cref="ResultCopier{T}"/> instances.</summary>
/// <remarks>
/// <para>Keel resolves the copier of a result type when the first pipeline that caches it is built, in this order:</para>
/// <list type="number">
/// <item>a copier registered with <see cref="Register{T}(ResultCopier{T})"/>;</item>
/// <item>
/// an immutable type, handed out as it is: numeric and other primitive types, enums, <see cref="string"/>,
/// <see cref="decimal"/>, <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>,
/// <see cref="Guid"/>, <see cref="Half"/>, <see cref="Int128"/>, <see cref="UInt128"/>, <see cref="DateOnly"/>,
/// <see cref="TimeOnly"/>, value types without references, <see cref="Nullable{T}"/>, tuples, value tuples,
/// <see cref="KeyValuePair{TKey, TValue}"/> and <see cref="ImmutableArray{T}"/> of immutable types, and sealed types
/// marked <c>[ImmutableObject(true)]</c>;
/// </item>
/// <item>an array of immutable elements, cloned; a jagged array (<c>float[][]</c>), cloned at every level.</item>
/// </list>
/// <para>Any other type (a class with settable members, a list, a tensor) has no copier, and a pipeline that caches it is
/// refused when it is built.</para>
/// </remarks>
public static class ResultCopier
{
    /// <summary>Returns a copier that hands out <typeparamref name="T"/> as it is: for a type whose instances never change.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The copier.</returns>
    public static ResultCopier<T> Immutable<T>() => IdentityCopier<T>.Instance;

    /// <summary>Creates a copier from a function that returns a copy no caller can use to change <c>value</c>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="copy">Returns a deep enough copy of its argument; it is never given <see langword="null"/>.</param>
    /// <returns>The copier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="copy"/> is <see langword="null"/>.</exception>
    public static ResultCopier<T> Create<T>(Func<T, T> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        return new DelegateCopier<T>(copy);
    }

    /// <summary>
    /// Makes <paramref name="copier"/> the copier of every cache that returns <typeparamref name="T"/>, for example
    /// <c>ResultCopier.Register(ResultCopier.Create&lt;List&lt;float&gt;&gt;(list =&gt; [.. list]))</c> at start-up, or
    /// <c>ResultCopier.Register(ResultCopier.Immutable&lt;FraudScore&gt;())</c> for a type you know never changes. Call it
    /// before the first pipeline that caches <typeparamref name="T"/> is built.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="copier">The copier.</param>
    /// <exception cref="ArgumentNullException"><paramref name="copier"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Another copier of <typeparamref name="T"/> is already registered.</exception>
    public static void Register<T>(ResultCopier<T> copier)
    {
        ArgumentNullException.ThrowIfNull(copier);
        if (!ResultCopiers<T>.TryRegister(copier))
        {
            throw new InvalidOperationException($"A result copier of {typeof(T)} is already registered; register one copier per type, once, at start-up.");
        }
    }

    /// <summary>Returns the copier the cache uses for <typeparamref name="T"/>, or <see langword="null"/> when it has none and refuses the type.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The copier, or <see langword="null"/>.</returns>
    public static ResultCopier<T>? For<T>() => ResultCopiers<T>.Current;

    private sealed class DelegateCopier<T>(Func<T, T> copy) : ResultCopier<T>
    {
        public override T Copy(T value) => value is null ? value : copy(value);
    }
}

/// <summary>The copier of <typeparamref name="T"/>: registered, or built in and resolved once per type without generic instantiation at run time.</summary>
internal static class ResultCopiers<T>
{
    private static readonly ResultCopier<T>? s_builtIn = BuiltInCopiers.Resolve<T>();
    private static ResultCopier<T>? s_registered;

    public static ResultCopier<T>? Current => Volatile.Read(ref s_registered) ?? s_builtIn;

    public static bool TryRegister(ResultCopier<T> copier) =>
        Interlocked.CompareExchange(ref s_registered, copier, null) is null || ReferenceEquals(s_registered, copier);
}

internal sealed class IdentityCopier<T> : ResultCopier<T>
{
    public static readonly IdentityCopier<T> Instance = new();

    public override T Copy(T value) => value;
}

/// <summary>A copier that works on the value as an object, for arrays whose copy is decided by their element type.</summary>
internal sealed class ObjectCopier<T>(Func<object, object> copy) : ResultCopier<T>
{
    public override T Copy(T value) => value is null ? value : (T)copy(value);
}

/// <summary>Decides, from the type alone, whether Keel can hand out a result safely, and how.</summary>
internal static class BuiltInCopiers
{
    private static readonly ConcurrentDictionary<Type, bool> s_immutable = new();

    private static readonly HashSet<Type> s_immutableTypes =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid),
        typeof(Half), typeof(Int128), typeof(UInt128), typeof(DateOnly), typeof(TimeOnly), typeof(Type),
    ];

    private static readonly HashSet<Type> s_immutableGenerics =
    [
        typeof(Nullable<>), typeof(ImmutableArray<>), typeof(KeyValuePair<,>),
        typeof(Tuple<>), typeof(Tuple<,>), typeof(Tuple<,,>), typeof(Tuple<,,,>), typeof(Tuple<,,,,>), typeof(Tuple<,,,,,>), typeof(Tuple<,,,,,,>), typeof(Tuple<,,,,,,,>),
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>), typeof(ValueTuple<,,,,>), typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
    ];

    public static ResultCopier<T>? Resolve<T>()
    {
        if ((typeof(T).IsValueType && !RuntimeHelpers.IsReferenceOrContainsReferences<T>()) || IsImmutable(typeof(T)))
        {
            return IdentityCopier<T>.Instance;
        }

        return CopyOf(typeof(T)) is { } copy ? new ObjectCopier<T>(copy) : null;
    }

    /// <summary>Returns how to copy an array of <paramref name="type"/>, or <see langword="null"/> when Keel cannot.</summary>
    private static Func<object, object>? CopyOf(Type type)
    {
        if (!type.IsArray)
        {
            return null;
        }

        var element = type.GetElementType()!;
        if (IsImmutable(element))
        {
            return static array => ((Array)array).Clone();
        }

        // Jagged: an array of arrays is covariant with object[], so each element is replaced by its own copy.
        if (!type.IsSZArray || element.IsValueType || CopyOf(element) is not { } copyElement)
        {
            return null;
        }

        return array =>
        {
            var copy = (object?[])((Array)array).Clone();
            for (var i = 0; i < copy.Length; i++)
            {
                if (copy[i] is { } item)
                {
                    copy[i] = copyElement(item);
                }
            }

            return copy;
        };
    }

    private static bool IsImmutable(Type type) => s_immutable.GetOrAdd(type, static type =>
        type.IsPrimitive
        || type.IsEnum
        || s_immutableTypes.Contains(type)
        || (type.IsGenericType && !type.IsGenericTypeDefinition && s_immutableGenerics.Contains(type.GetGenericTypeDefinition())
            && type.GetGenericArguments().All(IsImmutable))
        || ((type.IsSealed || type.IsValueType) && Attribute.GetCustomAttribute(type, typeof(ImmutableObjectAttribute)) is ImmutableObjectAttribute { Immutable: true }));
}
