using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.AspNetCore;

/// <summary>
/// The JSON contract of every value Keel puts into a problem's <c>Extensions</c>. ASP.NET Core's problem details
/// writer serializes each extension value by its run-time type; under Native AOT (no reflection-based serializer) a
/// type without source-generated metadata fails the write, and the response becomes an empty 500. Keel's handler
/// writes only these types, and <see cref="Microsoft.Extensions.DependencyInjection.KeelProblemDetailsServiceCollectionExtensions.AddKeelProblemDetails"/>
/// adds this context to the application's HTTP JSON options.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ProblemViolation[]))]
internal sealed partial class KeelProblemDetailsJsonContext : JsonSerializerContext;

/// <summary>One violation in a 422 problem's <c>violations</c> array.</summary>
/// <param name="Parameter">The parameter (or element, e.g. <c>features[17]</c>) that broke the rule.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Expected">What the rule expects.</param>
/// <param name="Actual">What the input had.</param>
/// <param name="Message">The violation as one sentence.</param>
internal sealed record ProblemViolation(
    [property: JsonPropertyName("parameter")] string Parameter,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("actual")] string Actual,
    [property: JsonPropertyName("message")] string Message);
