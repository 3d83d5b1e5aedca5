using Keel.Generators.CodeFixes;
using Keel.Generators.Parsing;
using Keel.Generators.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Keel.Generators.Tests.CodeFixes;

/// <summary>
/// The code fix for KEEL0004, applied as the IDE applies it: the generator reports the diagnostic on a document of an
/// <see cref="AdhocWorkspace"/>, the provider registers its action for it, and the action's operations change the
/// document, whose text is compared whole.
/// </summary>
public class MissingBodyCodeFixProviderTests
{
    [Fact]
    public async Task Fix_AsyncMethod_AddsAPrivateBodyMethodThatThrows()
    {
        const string Source = """
            using Keel;

            public sealed partial class FraudModel
            {
                [Monitor, Retry]
                public partial ValueTask<float> ScoreAsync([Shape(64), Finite] float[] features, CancellationToken cancellationToken = default);
            }
            """;

        var fixedSource = await ApplyFixAsync(Source);

        Assert.Equal("""
            using Keel;

            public sealed partial class FraudModel
            {
                [Monitor, Retry]
                public partial ValueTask<float> ScoreAsync([Shape(64), Finite] float[] features, CancellationToken cancellationToken = default);

                private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken)
                {
                    throw new NotImplementedException();
                }
            }
            """, fixedSource);
        DiagnosticAssert.Clean(fixedSource);
    }

    [Fact]
    public async Task Fix_StaticMethodAmongOthers_AddsAStaticBodyAfterIt()
    {
        const string Source = """
            using Keel;

            namespace Shop;

            public static partial class Prices
            {
                [Monitor]
                public static partial decimal Quote(string sku, int quantity);

                public static int Count => 1;
            }
            """;

        var fixedSource = await ApplyFixAsync(Source);

        Assert.Equal("""
            using Keel;

            namespace Shop;

            public static partial class Prices
            {
                [Monitor]
                public static partial decimal Quote(string sku, int quantity);

                private static decimal QuoteCore(string sku, int quantity)
                {
                    throw new NotImplementedException();
                }

                public static int Count => 1;
            }
            """, fixedSource);
        DiagnosticAssert.Clean(fixedSource);
    }

    [Fact]
    public async Task Fix_WithoutUsingSystem_WritesTheExceptionQualified()
    {
        const string Source = "namespace Shop\n{\n    public sealed partial class M\n    {\n        [Keel.Monitor]\n        public partial void Run(string text);\n    }\n}\n";

        var fixedSource = await ApplyFixAsync(Source, implicitUsings: false);

        Assert.Equal("namespace Shop\n{\n    public sealed partial class M\n    {\n        [Keel.Monitor]\n        public partial void Run(string text);\n\n        private void RunCore(string text)\n        {\n            throw new System.NotImplementedException();\n        }\n    }\n}\n", fixedSource);
    }

    [Fact]
    public void FixableDiagnosticIds_TheGeneratorsMissingBodyDiagnostic()
    {
        var provider = new MissingBodyCodeFixProvider();

        Assert.Equal([DiagnosticDescriptors.MissingBody.Id], provider.FixableDiagnosticIds.ToArray());
        var export = Assert.Single(typeof(MissingBodyCodeFixProvider).GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false).Cast<ExportCodeFixProviderAttribute>());
        Assert.Equal([LanguageNames.CSharp], export.Languages);
    }

    [Theory]
    [InlineData("ScoreAsync")]
    [InlineData("Score")]
    [InlineData("Async")]
    [InlineData("GetFeaturesAsyncAsync")]
    [InlineData("Asynchronous")]
    public void BodyMethodName_AnyName_TheGeneratorsConvention(string name) =>
        Assert.Equal(MethodParser.CoreName(name), BodyMethod.Name(name));

    private static async Task<string> ApplyFixAsync(string source, bool implicitUsings = true)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            GeneratorHarness.AssemblyName,
            GeneratorHarness.AssemblyName,
            LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CreateCompilation().Options,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        if (implicitUsings)
        {
            project = project.AddDocument("GlobalUsings.g.cs", GeneratorHarness.ImplicitUsings, filePath: "GlobalUsings.g.cs").Project;
        }

        var document = project.AddDocument("Input0.cs", SourceText.From(source), filePath: "Input0.cs");
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostic = Assert.Single(GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Diagnostics, static d => d.Id == MissingBodyCodeFixProvider.DiagnosticId);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new MissingBodyCodeFixProvider().RegisterCodeFixesAsync(context);

        var action = Assert.Single(actions);
        Assert.StartsWith("Add the body method '", action.Title, StringComparison.Ordinal);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        return (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }
}
