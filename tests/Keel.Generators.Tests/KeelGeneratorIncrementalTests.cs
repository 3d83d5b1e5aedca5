using Keel.Generators.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Keel.Generators.Tests;

/// <summary>
/// The generator's stages (<see cref="StepNames"/>) on a second run: an edit that cannot change the output leaves every
/// stage's output <c>Cached</c> or <c>Unchanged</c> and the sources as they were; an edit of an attribute's value makes
/// them <c>Modified</c> (as dotnet/runtime's <c>LoggerMessageGeneratorIncrementalTests</c>).
/// </summary>
public class KeelGeneratorIncrementalTests
{
    private const string Decorated = """
        using Keel;

        namespace Fraud;

        [InferenceModel("fraud", "3.2.0")]
        public sealed partial class FraudModel
        {
            [Monitor, CacheResult(TtlSeconds = 30), Retry]
            public partial ValueTask<float> ScoreAsync([Shape(4), Finite] float[] features, CancellationToken cancellationToken);

            private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => new(features.Sum());
        }

        public interface IFeatureStore
        {
            [Retry("feature-store")]
            ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);
        }
        """;

    private const string Unrelated = """
        namespace Fraud;

        // A helper.
        public sealed class Helper
        {
            public float First(float[] values) => values[0];
        }
        """;

    // A rule on a method without decorators, so that the StrayRules stage has an output (its warning) to track.
    private const string Stray = """
        using Keel;

        namespace Fraud;

        public sealed class Checker
        {
            public float Check([Finite] float[] values) => values[0];
        }
        """;

    private static readonly string[] s_trackedSteps = [StepNames.Decorated, StepNames.Parsed, StepNames.Emitted, StepNames.StrayRules];

    [Fact]
    public void RunGenerators_NewUnrelatedFile_EveryStepCached()
    {
        var (driver, compilation) = FirstRun();

        var next = driver.RunGenerators(compilation.AddSyntaxTrees(Parse("namespace Fraud;\n\npublic sealed class Another;\n", "Another.cs")));

        AssertEveryStepCachedOrUnchanged(driver, next);
    }

    [Fact]
    public void RunGenerators_CommentEditedInAnotherClass_EveryStepCached()
    {
        var (driver, compilation) = FirstRun();
        var helper = compilation.SyntaxTrees.Single(static t => t.FilePath == "Input1.cs");

        var next = driver.RunGenerators(compilation.ReplaceSyntaxTree(helper, Parse(Unrelated.Replace("// A helper.", "// A helper, edited.", StringComparison.Ordinal), helper.FilePath)));

        AssertEveryStepCachedOrUnchanged(driver, next);
    }

    [Fact]
    public void RunGenerators_BodyMethodEditedInTheDecoratedClass_EveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun();
        var decorated = compilation.SyntaxTrees.Single(static t => t.FilePath == "Input0.cs");

        var edited = Decorated.Replace("new(features.Sum())", "new(features.Max())", StringComparison.Ordinal);
        var next = driver.RunGenerators(compilation.ReplaceSyntaxTree(decorated, Parse(edited, decorated.FilePath)));

        AssertEveryStepCachedOrUnchanged(driver, next);
    }

    [Fact]
    public void RunGenerators_AttributeValueChanged_ParsedAndEmittedModified()
    {
        var (driver, compilation) = FirstRun();
        var decorated = compilation.SyntaxTrees.Single(static t => t.FilePath == "Input0.cs");

        var edited = Decorated.Replace("TtlSeconds = 30", "TtlSeconds = 60", StringComparison.Ordinal);
        var next = driver.RunGenerators(compilation.ReplaceSyntaxTree(decorated, Parse(edited, decorated.FilePath)));

        var result = next.GetRunResult().Results.Single();
        foreach (var step in new[] { StepNames.Parsed, StepNames.Emitted })
        {
            Assert.Contains(Reasons(result, step), static r => r == IncrementalStepRunReason.Modified);
        }

        var model = Assert.Single(result.GeneratedSources, static s => s.HintName == "Fraud.FraudModel.Keel.g.cs");
        Assert.Contains("TimeSpan.FromSeconds(60)", model.SourceText.ToString(), StringComparison.Ordinal);
        Assert.Equal(Sources(driver).Single(static s => s.HintName == "Fraud.IFeatureStore.Keel.g.cs"), Sources(next).Single(static s => s.HintName == "Fraud.IFeatureStore.Keel.g.cs"));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.CreateCompilation(Decorated, Unrelated, Stray);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Equal(2, result.GeneratedSources.Length);
        Assert.Contains(result.Diagnostics, static d => d.Id == "KEEL0011");
        return (driver, compilation);
    }

    private static void AssertEveryStepCachedOrUnchanged(GeneratorDriver before, GeneratorDriver after)
    {
        var result = after.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        foreach (var step in s_trackedSteps)
        {
            var reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
        }

        Assert.NotEmpty(result.TrackedOutputSteps);
        Assert.All(result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs), static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(Sources(before), Sources(after));
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        [.. result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(static r => r.Outputs).Select(static o => o.Reason) : []];

    private static List<(string HintName, string Text)> Sources(GeneratorDriver driver) =>
        [.. driver.GetRunResult().Results.Single().GeneratedSources.Select(static s => (s.HintName, s.SourceText.ToString()))];

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path);
}
