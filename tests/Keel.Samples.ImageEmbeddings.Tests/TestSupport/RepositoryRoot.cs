namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>The repository this test runs from: the first folder above the test's output that holds Keel.slnx.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(static () =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Keel.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Keel.slnx above {AppContext.BaseDirectory}.");
    });

    public static string Path => s_path.Value;

    public static DirectoryInfo TestProject => new(System.IO.Path.Combine(Path, "tests", "Keel.Samples.ImageEmbeddings.Tests"));

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
