using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests.Diagnostics;

/// <summary>
/// One test per diagnostic, on the wrong code and the right code of its docs page (docs/diagnostics/KEELnnnn.md): the
/// wrong code reports it, on the right span and with the right message, and the right code does not.
/// </summary>
public class DiagnosticTests
{
    [Fact]
    public void Keel0001_CacheOnMethodWithoutResult_ReportedOnTheMethodName()
    {
        var page = DocsPage.Load("KEEL0001");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0001", "RefreshAsync",
            "public partial ValueTask RefreshAsync(string entityId, CancellationToken cancellationToken);",
            "'RefreshAsync' returns System.Threading.Tasks.ValueTask, so [CacheResult] has nothing to cache: return a value (for example ValueTask<T>) or remove [CacheResult]");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0001");
    }

    [Fact]
    public void Keel0002_StreamInACacheKey_ReportedOnTheParameterWithTheReason()
    {
        var page = DocsPage.Load("KEEL0002");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0002", "image",
            "public partial ValueTask<float[]> EmbedAsync(Stream image, CancellationToken cancellationToken);",
            "Parameter 'image' of type System.IO.Stream cannot be part of [CacheResult]'s key: System.IO.Stream is neither a record nor plain data (its property CanRead has no setter), so its properties need not be its content. Keel keys strings, numeric scalars, enums, arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of numbers, and records or plain data classes whose public properties are those; pass one of them, or build the pipeline by hand with builder.WithInputDescriptor(ValueDescriptor.Create<T>(…))");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0002");
    }

    [Fact]
    public void Keel0003_TensorRuleOnAList_ReportedOnTheRule()
    {
        var page = DocsPage.Load("KEEL0003");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0003", "Finite",
            "public partial ValueTask<float> ScoreAsync([Finite] List<float> features, CancellationToken cancellationToken);",
            "[Finite] is on parameter 'features' of type System.Collections.Generic.List<float>, which is not tensor-like: tensor rules apply to arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of float, double, Half, int, long or byte");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0003");
    }

    [Fact]
    public void Keel0004_NoBodyMethod_ReportedOnTheMethodNameNamingTheBody()
    {
        var page = DocsPage.Load("KEEL0004");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0004", "ScoreAsync",
            "public partial ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken);",
            "'ScoreAsync' is decorated, so its body goes in a method named 'ScoreCoreAsync' with the same parameters and return type, which the generated 'ScoreAsync' calls; add it");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0004");
    }

    [Fact]
    public void Keel0005_MethodThatIsNotPartial_ReportedOnTheMethodName()
    {
        var page = DocsPage.Load("KEEL0005");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0005", "ScoreAsync",
            "public ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken) => new(features.Sum());",
            "Keel cannot wrap 'ScoreAsync': it is not a partial method: declare it 'partial' without a body (for example 'public partial ValueTask<float> ScoreAsync(…);') and put the body in 'ScoreCoreAsync'");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0005");
    }

    [Fact]
    public void Keel0006_SpanParameter_ReportedOnTheParameter()
    {
        var page = DocsPage.Load("KEEL0006");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0006", "features",
            "public partial float Score(ReadOnlySpan<float> features);",
            "Parameter 'features' of 'Score' is a ref struct, which a decorated method cannot take: the pipeline stores the arguments, so pass them by value");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0006");
    }

    [Fact]
    public void Keel0007_RetryWithoutCancellationToken_WarnsOnTheMethodName()
    {
        var page = DocsPage.Load("KEEL0007");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0007", "GetFeaturesAsync",
            "public partial ValueTask<float[]> GetFeaturesAsync(string entityId);",
            "'GetFeaturesAsync' is retried but takes no CancellationToken, so a caller cannot stop its retries and waits: add a CancellationToken parameter");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0007");
    }

    [Fact]
    public void Keel0008_WithinMinAboveMax_ReportedOnTheRule()
    {
        var page = DocsPage.Load("KEEL0008");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0008", "Within(1, 0)",
            "public partial ValueTask<float> ScoreAsync([Within(1, 0)] float[] features, CancellationToken cancellationToken);",
            "[Within(1, 0)] on parameter 'features' allows no value: the minimum must not exceed the maximum, and neither may be NaN");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0008");
    }

    [Fact]
    public void Keel0009_ProfileNameWithASpace_ReportedOnTheAttribute()
    {
        var page = DocsPage.Load("KEEL0009");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0009", "Retry(\"feature store\")",
            "[Retry(\"feature store\")]",
            "Profile name 'feature store' of [Retry] is not valid: use 1 to 100 ASCII letters, digits, '-', '_' or '.', so it can be a configuration key (Keel:Retry:feature store)");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0009");
    }

    [Fact]
    public void Keel0010_BodyReturnsTaskForValueTask_ReportedOnTheBodyMethodName()
    {
        var page = DocsPage.Load("KEEL0010");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0010", "ScoreCoreAsync",
            "private Task<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => Task.FromResult(features.Sum());",
            "'ScoreCoreAsync' must have the same parameters and return type as 'ScoreAsync' (System.Threading.Tasks.ValueTask<float> (float[], System.Threading.CancellationToken)), but 'ScoreCoreAsync' returns System.Threading.Tasks.Task<float>");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0010");
    }

    [Fact]
    public void Keel0011_RuleOnMethodWithoutDecorators_WarnsOnTheRule()
    {
        var page = DocsPage.Load("KEEL0011");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0011", "Finite",
            "public ValueTask<float> ScoreAsync([Finite] float[] features, CancellationToken cancellationToken) => new(features.Sum());",
            "[Finite] on parameter 'features' does nothing, because 'ScoreAsync' has no Keel decorator: add [ValidateInput] (and make the method partial) or remove the rule");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0011");
    }

    [Fact]
    public void Keel0012_ValidateInputWithoutRules_WarnsOnTheMethodName()
    {
        var page = DocsPage.Load("KEEL0012");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0012", "ScoreAsync",
            "public partial ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken);",
            "'ScoreAsync' has [ValidateInput] but no rules: put [Shape], [Finite], [Within], [NotEmpty] or [MaxElements] on a tensor parameter, or DataAnnotations on a record parameter's properties");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0012");
    }

    [Fact]
    public void Keel0013_TwoProviderParameters_ReportedOnTheClassNameNamingBoth()
    {
        var page = DocsPage.Load("KEEL0013");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0013", "FraudModel",
            "public sealed partial class FraudModel(InferencePipelineProvider pipelines, InferencePipelineProvider fallback)",
            "'FraudModel' has more than one InferencePipelineProvider (pipelines, fallback): keep one, so that generated code knows which container's profiles to use");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0013");
    }

    [Fact]
    public void Keel0014_SpanReturn_ReportedOnTheMethodName()
    {
        var page = DocsPage.Load("KEEL0014");

        DiagnosticAssert.Reports(page.WrongCode, "KEEL0014", "Normalize",
            "public partial ReadOnlySpan<float> Normalize(float[] features);",
            "'Normalize' returns System.ReadOnlySpan<float>: a decorated method returns ValueTask<T>, Task<T>, T, ValueTask, Task or void, a result complete when the call ends (not a reference, a ref struct or a stream)");
        DiagnosticAssert.DoesNotReport(page.RightCode, "KEEL0014");
    }
}
