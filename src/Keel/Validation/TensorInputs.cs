using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Keel.Validation;

/// <summary>
/// Reads a tensor-shaped input for validation: its lengths and its elements as one row-major span. Resolved once per
/// input type when the pipeline is built; every branch names closed types, so no reflection-based instantiation.
/// </summary>
internal abstract class TensorInput<TInput>
{
    public static readonly TensorInput<TInput>? Instance = Resolve();

    /// <summary>Gets the element type, for messages.</summary>
    public abstract Type ElementType { get; }

    /// <summary>Checks <paramref name="input"/> against <paramref name="rules"/>.</summary>
    public abstract void Check(TInput input, TensorRules rules, string parameter, ref ViolationBuffer violations, ref AnomalyBuffer anomalies);

    /// <summary>Converts the rules' ranges to the element type, once, when the pipeline is built; returns a problem or <see langword="null"/>.</summary>
    public abstract string? Prepare(TensorRules rules);

    /// <summary>Gives each row (along the last dimension) of a <see cref="float"/> tensor to the drift monitor; false for other element types.</summary>
    public abstract bool TryObserveRows(TInput input, DriftMonitorRows rows);

    private static TensorInput<TInput>? Resolve() =>
        Numeric<float>() ?? Numeric<double>() ?? Numeric<Half>() ?? Numeric<int>() ?? Numeric<long>() ?? Numeric<byte>();

    private static TensorInput<TInput>? Numeric<T>()
        where T : unmanaged, INumber<T>
    {
        object? input =
            typeof(TInput) == typeof(T[]) ? new ArrayInput<T>()
            : typeof(TInput) == typeof(T[,]) || typeof(TInput) == typeof(T[,,]) || typeof(TInput) == typeof(T[,,,]) || typeof(TInput) == typeof(T[,,,,])
                ? new MultiDimensionalInput<TInput, T>()
            : typeof(TInput) == typeof(ReadOnlyMemory<T>) ? new ReadOnlyMemoryInput<T>()
            : typeof(TInput) == typeof(Memory<T>) ? new MemoryInput<T>()
            : typeof(TInput) == typeof(Tensor<T>) ? new TensorOfTInput<T>()
            : null;
        return (TensorInput<TInput>?)input;
    }
}

/// <summary>Hands the rows of a float tensor to a drift monitor.</summary>
internal sealed class DriftMonitorRows(DriftMonitor monitor)
{
    public DriftMonitor Monitor { get; } = monitor;

    public void Observe(ReadOnlySpan<float> data, int featuresPerRow)
    {
        for (var offset = 0; offset + featuresPerRow <= data.Length; offset += featuresPerRow)
        {
            Monitor.Observe(data.Slice(offset, featuresPerRow));
        }
    }

    public int FeatureCount => Monitor.FeatureCount;
}

/// <summary>The shared part: lengths and a span, whatever the container.</summary>
internal abstract class TensorInput<TInput, T> : TensorInput<TInput>
    where T : unmanaged, INumber<T>
{
    public override Type ElementType => typeof(T);

    public override string? Prepare(TensorRules rules) => TensorChecker<T>.Prepare(rules);

    public override void Check(TInput input, TensorRules rules, string parameter, ref ViolationBuffer violations, ref AnomalyBuffer anomalies)
    {
        if (IsNull(input))
        {
            violations.Add(new InputViolation(parameter, TensorRules.RequiredRule, "a value", "null"));
            return;
        }

        var rank = GetRank(input);
        Span<nint> lengths = rank <= MaxStackRank ? stackalloc nint[MaxStackRank] : new nint[rank];
        lengths = lengths[..GetLengths(input, lengths[..rank])];
        if (TensorChecker<T>.CheckSizes(rules, lengths, parameter, ref violations) && rules.HasElementRules)
        {
            TensorChecker<T>.CheckElements(rules, GetData(input), lengths, parameter, ref violations, ref anomalies);
        }
    }

    public override bool TryObserveRows(TInput input, DriftMonitorRows rows)
    {
        if (typeof(T) != typeof(float) || IsNull(input))
        {
            return typeof(T) == typeof(float);
        }

        var rank = GetRank(input);
        Span<nint> lengths = rank <= MaxStackRank ? stackalloc nint[MaxStackRank] : new nint[rank];
        rank = GetLengths(input, lengths[..rank]);
        var features = rank == 0 ? 0 : (int)lengths[rank - 1];
        if (features == rows.FeatureCount && Readable(lengths[..rank]))
        {
            rows.Observe(MemoryMarshal.Cast<T, float>(GetData(input)), features);
        }

        return true;
    }

    /// <summary>Ranks up to this keep their lengths on the stack; higher ones (any rank is valid input) on the heap.</summary>
    private const int MaxStackRank = 8;

    protected abstract bool IsNull(TInput input);

    /// <summary>Whether the elements fit in one span: a broadcast view may declare more than any array holds.</summary>
    private static bool Readable(ReadOnlySpan<nint> lengths)
    {
        long count = 1;
        foreach (var length in lengths)
        {
            if (length == 0)
            {
                return true;
            }

            count = length < 0 || count > Array.MaxLength / length ? long.MaxValue : count * length;
        }

        return count <= Array.MaxLength;
    }

    /// <summary>Returns the number of dimensions, which may be any number.</summary>
    protected abstract int GetRank(TInput input);

    /// <summary>Writes the lengths into <paramref name="lengths"/>, exactly <see cref="GetRank"/> long, and returns the rank.</summary>
    protected abstract int GetLengths(TInput input, Span<nint> lengths);

    /// <summary>Returns the elements in row-major order.</summary>
    protected abstract ReadOnlySpan<T> GetData(TInput input);
}

internal sealed class ArrayInput<T> : TensorInput<T[], T>
    where T : unmanaged, INumber<T>
{
    protected override bool IsNull(T[] input) => input is null;

    protected override int GetRank(T[] input) => 1;

    protected override int GetLengths(T[] input, Span<nint> lengths)
    {
        lengths[0] = input.Length;
        return 1;
    }

    protected override ReadOnlySpan<T> GetData(T[] input) => input;
}

internal sealed class MultiDimensionalInput<TArray, T> : TensorInput<TArray, T>
    where T : unmanaged, INumber<T>
{
    protected override bool IsNull(TArray input) => input is null;

    protected override int GetRank(TArray input) => ((Array)(object)input!).Rank;

    protected override int GetLengths(TArray input, Span<nint> lengths)
    {
        var array = (Array)(object)input!;
        for (var d = 0; d < array.Rank; d++)
        {
            lengths[d] = array.GetLength(d);
        }

        return array.Rank;
    }

    protected override ReadOnlySpan<T> GetData(TArray input)
    {
        var array = (Array)(object)input!;
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);
    }
}

internal sealed class ReadOnlyMemoryInput<T> : TensorInput<ReadOnlyMemory<T>, T>
    where T : unmanaged, INumber<T>
{
    protected override bool IsNull(ReadOnlyMemory<T> input) => false;

    protected override int GetRank(ReadOnlyMemory<T> input) => 1;

    protected override int GetLengths(ReadOnlyMemory<T> input, Span<nint> lengths)
    {
        lengths[0] = input.Length;
        return 1;
    }

    protected override ReadOnlySpan<T> GetData(ReadOnlyMemory<T> input) => input.Span;
}

internal sealed class MemoryInput<T> : TensorInput<Memory<T>, T>
    where T : unmanaged, INumber<T>
{
    protected override bool IsNull(Memory<T> input) => false;

    protected override int GetRank(Memory<T> input) => 1;

    protected override int GetLengths(Memory<T> input, Span<nint> lengths)
    {
        lengths[0] = input.Length;
        return 1;
    }

    protected override ReadOnlySpan<T> GetData(Memory<T> input) => input.Span;
}

internal sealed class TensorOfTInput<T> : TensorInput<Tensor<T>, T>
    where T : unmanaged, INumber<T>
{
    protected override bool IsNull(Tensor<T> input) => input is null;

    protected override int GetRank(Tensor<T> input) => input.Rank;

    protected override int GetLengths(Tensor<T> input, Span<nint> lengths)
    {
        input.Lengths.CopyTo(lengths);
        return input.Rank;
    }

    protected override ReadOnlySpan<T> GetData(Tensor<T> input)
    {
        if (input.IsDense)
        {
            return MemoryMarshal.CreateReadOnlySpan(ref input.GetPinnableReference(), checked((int)input.FlattenedLength));
        }

        // A strided view: check a row-major copy, so indices in messages are the view's own.
        var dense = new T[checked((int)input.FlattenedLength)];
        input.FlattenTo(dense);
        return dense;
    }
}
