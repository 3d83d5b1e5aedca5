using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests.Diagnostics;

/// <summary>Every diagnostic has a docs page, listed in the index, whose wrong code reports it alone and whose right code is clean.</summary>
public class DiagnosticDocsTests
{
    public static TheoryData<string> Ids => [.. DiagnosticDescriptors.Descriptors.Select(static d => d.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsPage_EachDiagnostic_HasItsTitleAndSeverity(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);

        var page = DocsPage.Load(id);

        Assert.Equal(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Title);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), page.Severity);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsPage_WrongCode_ReportsOnlyItsDiagnostic(string id)
    {
        var run = GeneratorHarness.Run(DocsPage.Load(id).WrongCode);

        Assert.Null(run.Result.Exception);
        Assert.Equal([id], run.Diagnostics.Select(static d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsPage_RightCode_ReportsNothingAndCompiles(string id) =>
        DiagnosticAssert.Clean(DocsPage.Load(id).RightCode);

    [Fact]
    public void DocsIndex_EveryDiagnostic_ListedWithItsSeverity()
    {
        var index = RepositoryFiles.ReadText(Path.Combine(RepositoryFiles.DiagnosticsDocsDirectory, "README.md"));

        foreach (var descriptor in DiagnosticDescriptors.Descriptors)
        {
            Assert.Contains($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title}", index, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DocsPages_NoPageWithoutADiagnostic()
    {
        var pages = Directory.GetFiles(RepositoryFiles.DiagnosticsDocsDirectory, "KEEL*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(DiagnosticDescriptors.Descriptors.Select(static d => d.Id), pages);
    }
}
