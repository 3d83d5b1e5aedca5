using System.Diagnostics;

namespace Keel.AspNetCore.Tests.TestSupport;

/// <summary>Finds and runs the Prometheus tools that CI installs (<c>apt-get install prometheus</c>).</summary>
internal static class Tool
{
    /// <summary>Returns the full path of <paramref name="name"/> on PATH, or fails the test saying how to install it.</summary>
    public static string Require(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{name}' is not on PATH. This test needs the real Prometheus tools: install them with 'apt-get install -y --no-install-recommends prometheus', or run the tests with ./eng/test.sh, which installs what they need.");
        return name;
    }

    /// <summary>Runs a tool with <paramref name="input"/> on stdin and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string name, string arguments, string input)
    {
        var start = new ProcessStartInfo(Require(name), arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
