using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests.Diagnostics;

/// <summary>
/// The other ways each diagnostic is triggered, beyond its docs page's example: every reason of KEEL0005, every
/// parameter kind of KEEL0006, and so on. Each marks the span the diagnostic is expected on <c>[|like this|]</c>.
/// </summary>
public class DiagnosticTriggerTests
{
    private const string Usings = "using System.ComponentModel.DataAnnotations;\nusing Keel;\n\n";

    [Theory]
    [InlineData("void", "System.Threading.Tasks.ValueTask")]
    [InlineData("Task", "System.Threading.Tasks.Task")]
    [InlineData("ValueTask", "System.Threading.Tasks.ValueTask")]
    public void Keel0001_CacheOnEachReturnWithoutResult_Reported(string returnType, string display)
    {
        var returns = returnType == "void" ? "void" : returnType;
        var body = returnType == "void" ? "{ }" : "=> default!;";

        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [CacheResult]
                public partial {{returns}} [|Run|](string text);

                private {{returns}} RunCore(string text) {{body}}
            }
            """, "KEEL0001");

        Assert.StartsWith($"'Run' returns {(returnType == "void" ? "void" : display)}, so", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("object", "object is not a record, class or struct of properties")]
    [InlineData("Query", "Query is neither a record nor plain data (its property Text has no setter)")]
    [InlineData("Shape", "Shape is abstract")]
    [InlineData("Node", "Node? nests itself")]
    [InlineData("Empty", "Empty has no public properties to key")]
    [InlineData("Dictionary<string, float>", "System.Collections.Generic.Dictionary<string, float> is neither a record nor plain data")]
    public void Keel0002_UnkeyableType_ReportedWithTheReason(string type, string reason)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed class Query(string text) { public string Text { get; } = text; }
            public abstract class Shape { public int Sides { get; set; } }
            public sealed record Node(string Name, Node? Next);
            public sealed class Empty;

            public sealed partial class M
            {
                [CacheResult]
                public partial ValueTask<float> ScoreAsync({{type}} [|input|], CancellationToken cancellationToken);

                private ValueTask<float> ScoreCoreAsync({{type}} input, CancellationToken cancellationToken) => default;
            }
            """, "KEEL0002");

        Assert.True(message.Contains(reason, StringComparison.Ordinal), message);
    }

    [Theory]
    [InlineData("Shape(2)", "string")]
    [InlineData("Finite", "decimal[]")]
    [InlineData("NotEmpty", "IReadOnlyList<float>")]
    [InlineData("MaxElements(4)", "float[,,,,,]")]
    [InlineData("Within(0, 1)", "float")]
    public void Keel0003_RuleOnTypeThatIsNotTensorLike_Reported(string rule, string type)
    {
        DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [Monitor]
                public partial float Score([[|{{rule}}|]] {{type}} input);

                private float ScoreCore({{type}} input) => 0;
            }
            """, "KEEL0003");
    }

    [Fact]
    public void Keel0004_StaticMethodWithoutBody_Reported()
    {
        var message = DiagnosticAssert.ReportsAt(Usings + """
            public static partial class M
            {
                [Monitor]
                public static partial float [|Score|](float[] features);
            }
            """, "KEEL0004");

        Assert.Contains("'ScoreCore'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keel0004_OverloadWithoutBodyWhereAnotherHasOne_ReportedAsMissing() => DiagnosticAssert.ReportsAt(Usings + """
        public sealed partial class M
        {
            [Monitor]
            public partial float Score(float[] features);

            [Monitor]
            public partial float [|Score|](double[] features);

            private float ScoreCore(float[] features) => 0;
        }
        """, "KEEL0004");

    [Theory]
    [InlineData("""
        public sealed partial class M
        {
            [Monitor]
            public partial ValueTask<T> [|RunAsync|]<T>(T input, CancellationToken cancellationToken);
        }
        """, "generic methods are not supported")]
    [InlineData("""
        public sealed class M
        {
            [Monitor]
            public float [|Score|](float[] features) => 0;
        }
        """, "its type 'M' is not partial")]
    [InlineData("""
        public class Outer
        {
            public sealed partial class Inner
            {
                [Monitor]
                public partial float [|Score|](float[] features);

                private float ScoreCore(float[] features) => 0;
            }
        }
        """, "its type 'Outer' is not partial")]
    [InlineData("""
        public partial struct M
        {
            [Monitor]
            public partial float [|Score|](float[] features);

            private float ScoreCore(float[] features) => 0;
        }
        """, "'M' is a struct")]
    [InlineData("""
        public sealed partial class M<T>
        {
            [Monitor]
            public partial float [|Score|](float[] features);

            private float ScoreCore(float[] features) => 0;
        }
        """, "its type 'M' is generic")]
    [InlineData("""
        public sealed partial class M
        {
            [Monitor]
            public partial float [|Score|](float[] features);

            public partial float Score(float[] features) => 0;
        }
        """, "it already has an implementation")]
    [InlineData("""
        public sealed partial class M
        {
            [Monitor]
            public partial float [|Score|](int a, int b, int c, int d, int e);

            private float ScoreCore(int a, int b, int c, int d, int e) => 0;
        }
        """, "it takes 5 parameters besides the CancellationToken")]
    [InlineData("""
        public interface [|IStore|]<T>
        {
            [Monitor]
            ValueTask<T> GetAsync(string id, CancellationToken cancellationToken);
        }
        """, "generic interfaces are not supported")]
    [InlineData("""
        public interface [|IParser|]
        {
            static abstract IParser Create();

            [Monitor]
            ValueTask<int> ParseAsync(string text, CancellationToken cancellationToken);
        }
        """, "its static abstract member 'Create'")]
    [InlineData("""
        public sealed partial class Outer
        {
            private interface [|IStore|]
            {
                [Monitor]
                ValueTask<int> GetAsync(string id, CancellationToken cancellationToken);
            }
        }
        """, "a nested interface must be public or internal")]
    [InlineData("""
        public interface IStore
        {
            [Monitor]
            ValueTask<T> [|GetAsync|]<T>(string id, CancellationToken cancellationToken);
        }
        """, "generic methods are not supported")]
    [InlineData("""
        public interface IStore
        {
            string [|Name|] { get; init; }

            [Monitor]
            ValueTask<int> GetAsync(string id, CancellationToken cancellationToken);
        }
        """, "its member 'Name' cannot be forwarded by a decorator class, because it has an init accessor")]
    [InlineData("""
        public interface IStore
        {
            ref int [|Current|] { get; }

            [Monitor]
            ValueTask<int> GetAsync(string id, CancellationToken cancellationToken);
        }
        """, "its member 'Current' cannot be forwarded by a decorator class, because it returns by reference")]
    public void Keel0005_MemberTheGeneratorCannotWrap_ReportedWithTheReason(string source, string reason)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + source, "KEEL0005");

        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref float[] [|features|]", "passed by ref")]
    [InlineData("out float[] [|features|]", "an out parameter")]
    [InlineData("in float[] [|features|]", "passed by in")]
    [InlineData("ref readonly float[] [|features|]", "passed by ref readonly")]
    [InlineData("params float[] [|features|]", "a params array")]
    [InlineData("Span<float> [|features|]", "a ref struct")]
    [InlineData("float[] features, CancellationToken cancellationToken, CancellationToken [|other|]", "a second CancellationToken")]
    public void Keel0006_ParameterKindThePipelineCannotHold_Reported(string parameters, string kind)
    {
        var declaration = parameters.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal);

        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [Monitor]
                public partial float Score({{parameters}});

                private float ScoreCore({{declaration}}) => throw new NotSupportedException();
            }
            """, "KEEL0006");

        Assert.Contains($"of 'Score' is {kind}, which", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keel0007_RetryOnInterfaceMethodWithoutToken_Warns()
    {
        var source = Usings + """
            public interface IFeatureStore
            {
                [Retry]
                ValueTask<float[]> [|GetAsync|](string id);
            }
            """;

        DiagnosticAssert.ReportsAt(source, "KEEL0007");
        GeneratorHarness.Run(Markup.Parse(source).Source).AssertCompiles();
    }

    [Theory]
    [InlineData("Within(double.NaN, 1)", "[Within(double.NaN, 1)]")]
    [InlineData("Within(0, double.NaN)", "[Within(0, double.NaN)]")]
    [InlineData("Within(0.5, 0.25)", "[Within(0.5, 0.25)]")]
    public void Keel0008_EmptyOrNaNRange_Reported(string rule, string shown)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [Monitor]
                public partial float Score([[|{{rule}}|]] float[] features);

                private float ScoreCore(float[] features) => 0;
            }
            """, "KEEL0008");

        Assert.StartsWith(shown, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keel0008_EqualBounds_NotReported() => DiagnosticAssert.Clean(Usings + """
        public sealed partial class M
        {
            [Monitor]
            public partial float Score([Within(1, 1)] float[] features);

            private float ScoreCore(float[] features) => 0;
        }
        """);

    [Theory]
    [InlineData("Monitor(\"\")", "Profile name '' of [Monitor]")]
    [InlineData("CacheResult(\"a:b\")", "Profile name 'a:b' of [CacheResult]")]
    [InlineData("MemoryGuard(\"grö\")", "Profile name 'grö' of [MemoryGuard]")]
    [InlineData("Retry(\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijx\")", "Profile name 'abcdefghij")]
    [InlineData("Resilience(\"\")", "Profile name '' of [Resilience]")]
    [InlineData("Resilience(\" \")", "Profile name ' ' of [Resilience]")]
    public void Keel0009_InvalidProfileName_Reported(string attribute, string start)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [[|{{attribute}}|]]
                public partial ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken);

                private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => default;
            }
            """, "KEEL0009");

        Assert.StartsWith(start, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retry(\"Feature_store.v2-1\")")]
    [InlineData("CacheResult(\"default\")")]
    [InlineData("Resilience(\"any Polly key: even with spaces\")")]
    public void Keel0009_ValidProfileName_NotReported(string attribute) => DiagnosticAssert.Clean(Usings + $$"""
        public sealed partial class M
        {
            [{{attribute}}]
            public partial ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken);

            private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => default;
        }
        """);

    [Theory]
    [InlineData("public static partial float Score(float[] features);", "private float [|ScoreCore|](float[] features) => 0;", "'Score' is static and 'ScoreCore' is not")]
    [InlineData("public partial float Score(float[] features);", "private float [|ScoreCore|](double[] features) => 0;", "'ScoreCore' takes (double[])")]
    [InlineData("public partial float Score(float[] features);", "private float [|ScoreCore|]<T>(float[] features) => 0;", "'ScoreCore' is generic")]
    [InlineData("public partial float Score(float[] features);", "private double [|ScoreCore|](float[] features) => 0;", "'ScoreCore' returns double")]
    public void Keel0010_BodyThatDiffers_ReportedSayingWhat(string method, string body, string difference)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                [Monitor]
                {{method}}

                {{body}}
            }
            """, "KEEL0010");

        Assert.EndsWith(difference, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keel0010_StaticBodyOfAnInstanceMethod_NotReported() => DiagnosticAssert.Clean(Usings + """
        public sealed partial class M
        {
            [Monitor]
            public partial float Score(float[] features);

            private static float ScoreCore(float[] features) => 0;
        }
        """);

    [Theory]
    [InlineData("""
        public interface IScorer
        {
            float Score([[|Finite|]] float[] features);
        }
        """)]
    [InlineData("""
        public sealed partial class M
        {
            [Monitor]
            public partial float Score(float[] features);

            private float ScoreCore([[|Shape(4)|]] float[] features) => 0;
        }
        """)]
    public void Keel0011_RuleWhereNothingChecksIt_Warns(string source) =>
        DiagnosticAssert.ReportsAt(Usings + source, "KEEL0011");

    [Fact]
    public void Keel0011_RuleOnDecoratedInterfaceMethod_NotReported() => DiagnosticAssert.Clean(Usings + """
        public interface IScorer
        {
            [ValidateInput]
            ValueTask<float> ScoreAsync([Finite] float[] features, CancellationToken cancellationToken);
        }
        """);

    [Fact]
    public void Keel0012_RecordWithoutAnnotations_Warns() => DiagnosticAssert.ReportsAt(Usings + """
        public sealed record Order(string Customer, double Amount);

        public sealed partial class M
        {
            [ValidateInput]
            public partial float [|Score|](Order order);

            private float ScoreCore(Order order) => 0;
        }
        """, "KEEL0012");

    [Fact]
    public void Keel0012_RecordWithDataAnnotations_NotReported() => DiagnosticAssert.Clean(Usings + """
        public sealed record Order([property: Required] string Customer, [property: Range(0, 100)] double Amount);

        public sealed partial class M
        {
            [ValidateInput]
            public partial float Score(Order order);

            private float ScoreCore(Order order) => 0;
        }
        """);

    [Theory]
    [InlineData("private readonly InferencePipelineProvider _a = null!;\n    private readonly InferencePipelineProvider _b = null!;", "(_a, _b)")]
    [InlineData("private readonly InferencePipelineProvider? _a;\n    public InferencePipelineProvider? Pipelines { get; set; }", "(_a, Pipelines)")]
    public void Keel0013_TwoProviderMembers_ReportedNamingThem(string members, string named)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class [|M|]
            {
                {{members}}

                [Monitor]
                public partial float Score(float[] features);

                private float ScoreCore(float[] features) => 0;
            }
            """, "KEEL0013");

        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref float", "ref float")]
    [InlineData("Span<float>", "System.Span<float>")]
    public void Keel0014_ReturnThePipelineCannotHold_Reported(string returnType, string shown)
    {
        var message = DiagnosticAssert.ReportsAt(Usings + $$"""
            public sealed partial class M
            {
                private float[] _values = [1];

                [Monitor]
                public partial {{returnType}} [|Next|]();

                private {{returnType}} NextCore() => {{(returnType.StartsWith("ref", StringComparison.Ordinal) ? "ref _values[0]" : "_values")}};
            }
            """, "KEEL0014");

        Assert.StartsWith($"'Next' returns {shown}:", message, StringComparison.Ordinal);
    }
}
