using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Keel.Generators;

/// <summary>
/// Every diagnostic Keel's generator reports. Each id has a page, <c>docs/diagnostics/KEELnnnn.md</c>, with the wrong
/// code and the right code.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Keel";

    public static readonly DiagnosticDescriptor CacheWithoutResult = Create(
        "KEEL0001", "[CacheResult] needs a result to cache",
        "'{0}' returns {1}, so [CacheResult] has nothing to cache: return a value (for example ValueTask<T>) or remove [CacheResult]");

    public static readonly DiagnosticDescriptor UnkeyableParameter = Create(
        "KEEL0002", "A parameter cannot be part of a cache key",
        "Parameter '{0}' of type {1} cannot be part of [CacheResult]'s key: {2}");

    public static readonly DiagnosticDescriptor NotTensorLike = Create(
        "KEEL0003", "A tensor rule is on a parameter that is not tensor-like",
        "[{0}] is on parameter '{1}' of type {2}, which is not tensor-like: tensor rules apply to arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of float, double, Half, int, long or byte");

    public static readonly DiagnosticDescriptor MissingBody = Create(
        "KEEL0004", "A decorated partial method has no body method",
        "'{0}' is decorated, so its body goes in a method named '{1}' with the same parameters and return type, which the generated '{0}' calls; add it");

    public static readonly DiagnosticDescriptor CannotWrap = Create(
        "KEEL0005", "The generator cannot wrap this member",
        "Keel cannot wrap '{0}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
        "KEEL0006", "A parameter kind the generator cannot pass through the pipeline",
        "Parameter '{0}' of '{1}' is {2}, which a decorated method cannot take: the pipeline stores the arguments, so pass them by value");

    public static readonly DiagnosticDescriptor RetryWithoutCancellation = Create(
        "KEEL0007", "[Retry] on a method without a CancellationToken",
        "'{0}' is retried but takes no CancellationToken, so a caller cannot stop its retries and waits: add a CancellationToken parameter",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor EmptyRange = Create(
        "KEEL0008", "[Within] allows no value",
        "[Within({0}, {1})] on parameter '{2}' allows no value: the minimum must not exceed the maximum, and neither may be NaN");

    public static readonly DiagnosticDescriptor InvalidProfileName = Create(
        "KEEL0009", "A profile name is not a valid configuration key",
        "Profile name '{0}' of [{1}] is not valid: use 1 to 100 ASCII letters, digits, '-', '_' or '.', so it can be a configuration key (Keel:{1}:{0})");

    public static readonly DiagnosticDescriptor BodyMismatch = Create(
        "KEEL0010", "The body method's signature does not match",
        "'{0}' must have the same parameters and return type as '{1}' ({2}), but {3}");

    public static readonly DiagnosticDescriptor RulesWithoutDecorator = Create(
        "KEEL0011", "A validation rule on a method without Keel decorators does nothing",
        "[{0}] on parameter '{1}' does nothing, because '{2}' has no Keel decorator: add [ValidateInput] (and make the method partial) or remove the rule",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NothingToValidate = Create(
        "KEEL0012", "[ValidateInput] has nothing to check",
        "'{0}' has [ValidateInput] but no rules: put [Shape], [Finite], [Within], [NotEmpty] or [MaxElements] on a tensor parameter, or DataAnnotations on a record parameter's properties",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor AmbiguousProvider = Create(
        "KEEL0013", "More than one pipeline provider",
        "'{0}' has more than one InferencePipelineProvider ({1}): keep one, so that generated code knows which container's profiles to use");

    public static readonly DiagnosticDescriptor UnsupportedReturn = Create(
        "KEEL0014", "A return type the generator cannot wrap",
        "'{0}' returns {1}: a decorated method returns ValueTask<T>, Task<T>, T, ValueTask, Task or void, a result complete when the call ends (not a reference, a ref struct or a stream)");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_all = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(static f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(static f => (DiagnosticDescriptor)f.GetValue(null))
        .ToDictionary(static d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> Descriptors => s_all.Values.OrderBy(static d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_all[id];

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description: $"The wrong code and the right code: docs/diagnostics/{id}.md in Keel's repository.");
}
