using Keel.Generators.Tests.TestSupport;
using Microsoft.CodeAnalysis;

namespace Keel.Generators.Tests;

/// <summary>Source a generator must survive: names it might clash with, overloads, members it cannot wrap.</summary>
public class EdgeCaseTests
{
    [Fact]
    public void Compile_ParametersNamedLikeGeneratedLocals_CompilesCleanly()
    {
        const string source = """
            using Keel;
            namespace Sample;
            public sealed partial class Model(InferencePipelineProvider provider)
            {
                [CacheResult, Retry]
                public partial ValueTask<int> RunAsync(string pipeline, int self, string input, string keel, CancellationToken cancellationToken);

                private ValueTask<int> RunCoreAsync(string pipeline, int self, string input, string keel, CancellationToken cancellationToken) => new(self);
            }
            """;

        AssertClean(source);
    }

    [Fact]
    public void Compile_ParameterNamedLikeThePrimaryConstructorsProvider_CompilesCleanly()
    {
        const string source = """
            using Keel;
            namespace Sample;
            public sealed partial class Model(InferencePipelineProvider pipelines)
            {
                [CacheResult]
                public partial int Count(string pipelines);

                private int CountCore(string pipelines) => pipelines.Length;
            }
            """;

        AssertClean(source);
    }

    [Theory]
    [InlineData("public class Order { public string Id { get; set; } = \"\"; }")]
    [InlineData("public record Order(string Id);")]
    public void Compile_CachedUnsealedRecordOrClass_ReportsKeel0002(string declaration)
    {
        var source = $$"""
            using Keel;
            namespace Sample;
            {{declaration}}
            public sealed partial class Model
            {
                [CacheResult]
                public partial int Count(Order order);

                private int CountCore(Order order) => 1;
            }
            """;

        var (_, diagnostics) = SourceCompiler.Compile(source);

        var diagnostic = Assert.Single(diagnostics, static d => d.Id == "KEEL0002");
        Assert.Contains("is not sealed", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_StreamingResult_ReportsKeel0014()
    {
        const string source = """
            using Keel;
            namespace Sample;
            public sealed partial class Model
            {
                [Retry]
                public partial IAsyncEnumerable<int> StreamAsync(CancellationToken cancellationToken);

                private IAsyncEnumerable<int> StreamCoreAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
            }
            """;

        var (_, diagnostics) = SourceCompiler.Compile(source);

        Assert.Contains(diagnostics, static d => d.Id == "KEEL0014");
    }

    [Fact]
    public void Compile_DecoratedOverloads_EachGetsItsOwnPipeline()
    {
        const string source = """
            using Keel;
            namespace Sample;
            public sealed partial class Model
            {
                [CacheResult]
                public partial int Score(int value);

                [CacheResult]
                public partial int Score(string value);

                private int ScoreCore(int value) => value;

                private int ScoreCore(string value) => value.Length;
            }
            """;

        AssertClean(source);
    }

    [Theory]
    [InlineData("void M() { [Retry] static int Local(int x) => x; }", "Local")]
    [InlineData("void M() { var f = [Retry] (int x) => x; }", "a lambda")]
    public void Compile_DecoratedLocalFunctionOrLambda_ReportsKeel0005(string member, string name)
    {
        var source = $$"""
            using Keel;
            namespace Sample;
            public sealed class Model
            {
                {{member}}
            }
            """;

        var (_, diagnostics) = SourceCompiler.Compile(source);

        var diagnostic = Assert.Single(diagnostics, static d => d.Id == "KEEL0005");
        Assert.Contains($"Keel cannot wrap '{name}'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static void AssertClean(string source)
    {
        var (_, diagnostics) = SourceCompiler.Compile(source);
        var problems = diagnostics.Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
