using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests.Emission;

/// <summary>
/// The generated source of each scenario under <c>Golden/</c>, compared exactly with the expected files next to its
/// <c>Input.cs</c> (one per hint name). After an intended change to the emitted code, run the tests with
/// <c>KEEL_UPDATE_GOLDEN=1</c> to rewrite the expected files, and review their diff as a reader of the generated code.
/// </summary>
public class GoldenFileTests
{
    [Theory]
    [InlineData("ReadmeModel")]
    [InlineData("InterfaceDecorator")]
    [InlineData("SeveralParameters")]
    [InlineData("ReturnKinds")]
    [InlineData("NestedTypes")]
    [InlineData("KeywordNames")]
    [InlineData("Overloads")]
    public void Emit_Scenario_MatchesTheGoldenFiles(string scenario)
    {
        var directory = Path.Combine(RepositoryFiles.GoldenDirectory, scenario);
        var run = GeneratorHarness.Run(RepositoryFiles.ReadText(Path.Combine(directory, "Input.cs")));
        var expected = Directory.GetFiles(directory, "*.g.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        if (RepositoryFiles.UpdateGolden)
        {
            foreach (var stale in expected.Except(run.Sources.Select(static s => s.HintName)))
            {
                File.Delete(Path.Combine(directory, stale!));
            }

            foreach (var (hintName, text) in run.Sources)
            {
                File.WriteAllText(Path.Combine(directory, hintName), text);
            }
        }

        run.AssertNoDiagnostics().AssertCompiles();
        if (RepositoryFiles.UpdateGolden)
        {
            return;
        }

        Assert.Equal(expected, run.Sources.Select(static s => s.HintName));
        foreach (var (hintName, text) in run.Sources)
        {
            var golden = RepositoryFiles.ReadText(Path.Combine(directory, hintName));
            Assert.True(golden == text, $"{scenario}/{hintName} differs from its golden file; if the change is intended, run with {RepositoryFiles.UpdateGoldenVariable}=1 and review the diff.\n{FirstDifference(golden, text)}");
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return $"line {i + 1}:\n  expected: {e}\n  actual:   {a}";
            }
        }

        return string.Empty;
    }
}
