using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Keel.Validation;

/// <summary>
/// Validates records and other objects by DataAnnotations attributes (<see cref="RequiredAttribute"/>,
/// <see cref="RangeAttribute"/>, <see cref="StringLengthAttribute"/>, <see cref="MinLengthAttribute"/>,
/// <see cref="MaxLengthAttribute"/> and any other <see cref="ValidationAttribute"/>), nested objects and collections,
/// declared once through explicit property accessors: no reflection when a call is validated, so it is Native-AOT
/// safe. This is the API the source generator will target for attributed properties; until then, declare it by hand:
/// </summary>
/// <example>
/// <code>
/// var transaction = ObjectValidator.Create&lt;Transaction&gt;(o =&gt; o
///     .Property("Amount", static t =&gt; t.Amount, new RangeAttribute(0, 1))
///     .Property("Merchant", static t =&gt; t.Merchant, new RequiredAttribute(), new StringLengthAttribute(64))
///     .Each("Items", static t =&gt; t.Items, item));
/// </code>
/// </example>
/// <typeparam name="T">The validated type.</typeparam>
public sealed class ObjectValidator<T>
{
    private readonly ObjectCheck<T>[] _checks;

    internal ObjectValidator(ObjectCheck<T>[] checks)
    {
        _checks = checks;
    }

    /// <summary>Returns every violation of <paramref name="value"/>, each with its path from <paramref name="path"/>, for example <c>transaction.Amount</c>.</summary>
    /// <param name="value">The object; <see langword="null"/> is a violation of its own.</param>
    /// <param name="path">The object's name at the root of every path.</param>
    /// <returns>The violations; empty when the object is valid.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public IReadOnlyList<InputViolation> Validate(T value, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var violations = default(ViolationBuffer);
        Collect(value, path, ref violations);
        return violations.Items;
    }

    /// <summary>Adds the violations of <paramref name="value"/>; a valid object allocates nothing.</summary>
    internal void Collect(T value, string path, ref ViolationBuffer violations)
    {
        if (value is null)
        {
            violations.Add(new InputViolation(path, TensorRules.RequiredRule, "a value", "null"));
            return;
        }

        foreach (var check in _checks)
        {
            check(value, path, ref violations);
        }
    }
}

/// <summary>One declared check of an object; <paramref name="path"/> is the object's own path.</summary>
internal delegate void ObjectCheck<in T>(T value, string path, ref ViolationBuffer violations);

/// <summary>
/// One attribute's check of a property of <paramref name="owner"/>; the property's path is built only when it is
/// violated. Returns whether the property passed.
/// </summary>
internal delegate bool PropertyCheck<in T, in TProperty>(T owner, TProperty value, string parent, string name, ref ViolationBuffer violations);

/// <summary>Creates <see cref="ObjectValidator{T}"/> instances.</summary>
public static class ObjectValidator
{
    /// <summary>Declares how to validate <typeparamref name="T"/>: its properties' attributes, nested objects and collections.</summary>
    /// <typeparam name="T">The validated type.</typeparam>
    /// <param name="configure">Declares the properties.</param>
    /// <returns>The validator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A declaration is invalid; the message names the property and the problem.</exception>
    public static ObjectValidator<T> Create<T>(Action<ObjectRules<T>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var rules = new ObjectRules<T>();
        configure(rules);
        return new ObjectValidator<T>([.. rules.Checks]);
    }
}

/// <summary>The declarations of an <see cref="ObjectValidator{T}"/>, in the order they are checked.</summary>
/// <typeparam name="T">The validated type.</typeparam>
public sealed class ObjectRules<T>
{
    internal ObjectRules()
    {
    }

    internal List<ObjectCheck<T>> Checks { get; } = [];

    /// <summary>Checks a property against DataAnnotations attributes.</summary>
    /// <typeparam name="TProperty">The property's type.</typeparam>
    /// <param name="name">The property's name in paths, for example <c>Amount</c>.</param>
    /// <param name="getter">Reads the property.</param>
    /// <param name="attributes">The attributes, for example <c>new RangeAttribute(0, 1)</c>.</param>
    /// <returns>These rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getter"/> or <paramref name="attributes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is empty, an attribute is <see langword="null"/>, or an attribute is misconfigured or
    /// cannot apply to <typeparamref name="TProperty"/> (where <see cref="Validator"/> would throw for every value):
    /// the message names the property and the problem.
    /// </exception>
    public ObjectRules<T> Property<TProperty>(string name, Func<T, TProperty> getter, params ValidationAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(getter);
        ArgumentNullException.ThrowIfNull(attributes);
        if (Array.IndexOf(attributes, null) is var index and >= 0)
        {
            throw new ArgumentException($"Attributes of property '{name}' must not be null, but the one at index {index} was.", nameof(attributes));
        }

        // As Validator does: [Required] is checked first, and when it fails the property's other attributes are not.
        var required = Array.Find(attributes, static a => a is RequiredAttribute);
        var requiredCheck = required is null ? null : AttributeCheck.For<T, TProperty>(required, name);
        var checks = Array.ConvertAll(Array.FindAll(attributes, a => !ReferenceEquals(a, required)), a => AttributeCheck.For<T, TProperty>(a, name));
        Checks.Add((T value, string path, ref ViolationBuffer violations) =>
        {
            var property = getter(value);
            if (requiredCheck is not null && !requiredCheck(value, property, path, name, ref violations))
            {
                return;
            }

            foreach (var check in checks)
            {
                check(value, property, path, name, ref violations);
            }
        });
        return this;
    }

    /// <summary>Validates a nested object with its own validator; <see langword="null"/> passes unless <paramref name="required"/>.</summary>
    /// <typeparam name="TProperty">The nested object's type.</typeparam>
    /// <param name="name">The property's name in paths, for example <c>Address</c>.</param>
    /// <param name="getter">Reads the property.</param>
    /// <param name="validator">The nested object's validator.</param>
    /// <param name="required">Whether <see langword="null"/> is a violation.</param>
    /// <returns>These rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getter"/> or <paramref name="validator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public ObjectRules<T> Object<TProperty>(string name, Func<T, TProperty?> getter, ObjectValidator<TProperty> validator, bool required = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(getter);
        ArgumentNullException.ThrowIfNull(validator);
        Checks.Add((T value, string path, ref ViolationBuffer violations) =>
        {
            var nested = getter(value);
            if (nested is not null || required)
            {
                validator.Collect(nested!, $"{path}.{name}", ref violations);
            }
        });
        return this;
    }

    /// <summary>Validates every item of a collection with the items' validator; a <see langword="null"/> collection passes unless <paramref name="required"/>.</summary>
    /// <typeparam name="TItem">The items' type.</typeparam>
    /// <param name="name">The property's name in paths, for example <c>Items</c>; items are <c>Items[0]</c>, <c>Items[1]</c>, ….</param>
    /// <param name="getter">Reads the collection.</param>
    /// <param name="validator">The items' validator.</param>
    /// <param name="required">Whether a <see langword="null"/> collection is a violation.</param>
    /// <returns>These rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getter"/> or <paramref name="validator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public ObjectRules<T> Each<TItem>(string name, Func<T, IEnumerable<TItem>?> getter, ObjectValidator<TItem> validator, bool required = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(getter);
        ArgumentNullException.ThrowIfNull(validator);
        Checks.Add((T value, string path, ref ViolationBuffer violations) =>
        {
            var items = getter(value);
            if (items is null)
            {
                if (required)
                {
                    violations.Add(new InputViolation($"{path}.{name}", TensorRules.RequiredRule, "a value", "null"));
                }

                return;
            }

            var i = 0;
            foreach (var item in items)
            {
                validator.Collect(item, string.Create(CultureInfo.InvariantCulture, $"{path}.{name}[{i++}]"), ref violations);
            }
        });
        return this;
    }
}
