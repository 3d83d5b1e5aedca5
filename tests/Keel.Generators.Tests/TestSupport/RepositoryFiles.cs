using System.Reflection;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>
/// Files of the repository the tests read: the golden files and the diagnostics' docs pages. Their folders are written
/// into the test assembly at build time (not taken from <c>[CallerFilePath]</c>, which CI's path map rewrites).
/// </summary>
internal static class RepositoryFiles
{
    /// <summary>Set to <c>1</c>, the golden-file tests rewrite the expected files instead of comparing with them.</summary>
    public const string UpdateGoldenVariable = "KEEL_UPDATE_GOLDEN";

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string GoldenDirectory => Path.Combine(Metadata("ProjectDirectory"), "Golden");

    public static string DiagnosticsDocsDirectory => Path.Combine(RepositoryRoot, "docs", "diagnostics");

    public static bool UpdateGolden => Environment.GetEnvironmentVariable(UpdateGoldenVariable) == "1";

    /// <summary>A text file with its line endings as the generator writes them, whatever git checked out.</summary>
    public static string ReadText(string path) => File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Metadata(string key) =>
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
