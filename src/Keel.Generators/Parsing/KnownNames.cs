namespace Keel.Generators.Parsing;

/// <summary>The metadata names the generator looks for.</summary>
internal static class KnownNames
{
    public const string Monitor = "Keel.MonitorAttribute";
    public const string ValidateInput = "Keel.ValidateInputAttribute";
    public const string CacheResult = "Keel.CacheResultAttribute";
    public const string MemoryGuard = "Keel.MemoryGuardAttribute";
    public const string Retry = "Keel.RetryAttribute";
    public const string Resilience = "Keel.ResilienceAttribute";
    public const string InferenceModel = "Keel.InferenceModelAttribute";
    public const string Provider = "Keel.InferencePipelineProvider";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string ValidationAttribute = "System.ComponentModel.DataAnnotations.ValidationAttribute";
    public const string OnnxDescriptors = "Keel.Onnx.OnnxDescriptors";
    public const string OnnxInputRules = "Keel.Onnx.OnnxInputRulesExtensions";
    public const string DenseTensorRule = "DenseTensor()";

    public const string Shape = "Keel.ShapeAttribute";
    public const string Finite = "Keel.FiniteAttribute";
    public const string Within = "Keel.WithinAttribute";
    public const string NotEmpty = "Keel.NotEmptyAttribute";
    public const string MaxElements = "Keel.MaxElementsAttribute";

    /// <summary>
    /// The method decorators in canonical order, outermost first, whatever order they are written in. Resilience (a
    /// Polly pipeline) is innermost, around each attempt: a circuit breaker counts attempts, a timeout bounds one.
    /// </summary>
    public static readonly string[] Decorators = [Monitor, ValidateInput, CacheResult, MemoryGuard, Retry, Resilience];

    /// <summary>The parameter rules, in the order they are applied.</summary>
    public static readonly string[] Rules = [Shape, Finite, Within, NotEmpty, MaxElements];

    public static string ShortName(string metadataName) =>
        metadataName.Substring(metadataName.LastIndexOf('.') + 1).Replace("Attribute", string.Empty);
}
