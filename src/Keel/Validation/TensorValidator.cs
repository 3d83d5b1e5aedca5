using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Keel.Validation;

/// <summary>
/// The tensor rules of <c>UseValidation</c> for data that cannot be a pipeline's input: a <see cref="TensorSpan{T}"/>
/// or <see cref="ReadOnlyTensorSpan{T}"/> (ref structs), or a span with its lengths. Same checks, same messages.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/>, <see cref="double"/>, <see cref="Half"/>, <see cref="int"/>, <see cref="long"/> or <see cref="byte"/>.</typeparam>
public sealed class TensorValidator<T>
    where T : unmanaged, INumber<T>
{
    private readonly string _parameter;
    private readonly TensorRules _rules;

    internal TensorValidator(string parameter, TensorRules rules)
    {
        _parameter = parameter;
        _rules = rules;
    }

    /// <summary>Throws <see cref="InputValidationException"/> listing every violation of <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="InputValidationException">The tensor breaks one or more rules.</exception>
    public void Validate(in ReadOnlyTensorSpan<T> tensor)
    {
        if (tensor.IsDense || tensor.IsEmpty)
        {
            var data = tensor.IsEmpty ? [] : MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
            Validate(data, tensor.Lengths);
            return;
        }

        if (tensor.FlattenedLength > Array.MaxLength)
        {
            // A broadcast view larger than any array: its sizes are checked, its elements cannot be read.
            Check(default, tensor.Lengths, readElements: false);
            return;
        }

        // A strided view: check a row-major copy, so indices in messages are the view's own.
        var dense = new T[(int)tensor.FlattenedLength];
        tensor.FlattenTo(dense);
        Validate(dense, tensor.Lengths);
    }

    /// <summary>Throws <see cref="InputValidationException"/> listing every violation of a row-major tensor.</summary>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="lengths">The length of each dimension; their product must be the number of elements.</param>
    /// <exception cref="InputValidationException">The tensor breaks one or more rules.</exception>
    /// <exception cref="ArgumentException">The lengths do not match the number of elements.</exception>
    public void Validate(ReadOnlySpan<T> data, ReadOnlySpan<nint> lengths)
    {
        long product = 1;
        foreach (var length in lengths)
        {
            product *= length;
        }

        if (lengths.IsEmpty || product != data.Length)
        {
            throw new ArgumentException($"The product of lengths must equal the number of elements ({data.Length}), but was {(lengths.IsEmpty ? "no lengths" : product)}.", nameof(lengths));
        }

        Check(data, lengths, readElements: true);
    }

    private void Check(ReadOnlySpan<T> data, ReadOnlySpan<nint> lengths, bool readElements)
    {
        var violations = default(ViolationBuffer);
        var anomalies = default(AnomalyBuffer);
        if (TensorChecker<T>.CheckSizes(_rules, lengths, _parameter, ref violations) && readElements && _rules.HasElementRules)
        {
            TensorChecker<T>.CheckElements(_rules, data, lengths, _parameter, ref violations, ref anomalies);
        }

        foreach (var (expectation, violation) in anomalies.Items)
        {
            if (expectation.Action == AnomalyAction.Block)
            {
                violations.Add(violation);
            }
        }

        if (violations.HasAny)
        {
            throw new InputValidationException(violations.Items);
        }
    }
}

/// <summary>Creates <see cref="TensorValidator{T}"/> instances.</summary>
public static class TensorValidator
{
    /// <summary>Declares tensor rules for spans: <c>TensorValidator.Create&lt;float&gt;("features", v =&gt; v.Shape(-1, 64).Finite())</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="parameter">The tensor's name in messages.</param>
    /// <param name="configure">Declares the rules. Shape, Finite, Within, NotEmpty, MaxElements and Expect with Block apply; expectations that only warn or observe, drift, Must and Object need a pipeline and are refused.</param>
    /// <returns>The validator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="parameter"/> is empty, or a rule is misused; the message lists every problem.</exception>
    public static TensorValidator<T> Create<T>(string parameter, Action<InputRules<Tensor<T>>> configure)
        where T : unmanaged, INumber<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameter);
        ArgumentNullException.ThrowIfNull(configure);
        var rules = new InputRules<Tensor<T>>(parameter);
        configure(rules);
        var errors = new List<string>(rules.Errors);
        if (rules.CustomRules.Count > 0 || rules.ObjectValidators.Count > 0 || rules.DriftMonitors.Count > 0
            || rules.Tensor.Expectations.Any(static e => e.Action != AnomalyAction.Block))
        {
            errors.Add("Must, Object, Drift and expectations that warn or observe need a pipeline (UseValidation); a span validator only blocks.");
        }

        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half)
            && typeof(T) != typeof(int) && typeof(T) != typeof(long) && typeof(T) != typeof(byte))
        {
            errors.Add($"Tensor rules apply to float, double, Half, int, long or byte elements, but the element type was {typeof(T)}.");
        }

        if (errors.Count == 0 && TensorChecker<T>.Prepare(rules.Tensor) is { } rangeError)
        {
            errors.Add(rangeError);
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(configure));
        }

        return new TensorValidator<T>(parameter, rules.Tensor);
    }
}
