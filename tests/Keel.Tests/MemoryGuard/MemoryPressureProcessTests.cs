using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Keel.Tests.MemoryGuard;

/// <summary>
/// Real pressure: a child process (tests/Keel.MemoryGuard.Probe) capped by a memory cgroup this test creates allocates
/// toward its limit through a guarded pipeline. It must be refused with <see cref="MemoryPressureException"/> before it
/// runs out, and accepted again once it frees memory. Where this machine does not let the test create a cgroup, the
/// probe is capped with <c>DOTNET_GCHeapHardLimit</c> instead, and the test says so in its output.
/// </summary>
public sealed class MemoryPressureProcessTests(ITestOutputHelper output)
{
    private const string CgroupV1Mount = "/sys/fs/cgroup/memory";
    private const int LimitMegabytes = 256;
    private const int ChunkMegabytes = 8;
    private const string MaxMemoryLoad = "0.7";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Probe_AllocatingTowardItsLimit_IsRefusedBeforeItRunsOutAndAcceptedAgainAfterFreeing()
    {
        var cgroup = TryCreateCgroup(out var why);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ProbePath());
        start.ArgumentList.Add(MaxMemoryLoad);
        string expectedSource;
        if (cgroup is null)
        {
            expectedSource = "gc";
            start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)LimitMegabytes << 20).ToString("X", CultureInfo.InvariantCulture);
            output.WriteLine($"Could not create a memory cgroup ({why}); capping the probe with DOTNET_GCHeapHardLimit={start.Environment["DOTNET_GCHeapHardLimit"]} ({LimitMegabytes} MB) instead.");
        }
        else
        {
            expectedSource = "cgroup-v1";
            output.WriteLine($"Capping the probe with memory cgroup {cgroup} at {LimitMegabytes} MB; the runtime is not told, only the guard's cgroup source can see the limit.");
        }

        Process? process = null;
        try
        {
            process = Process.Start(start)!;
            Assert.StartsWith("ready", await ReadAsync(process));
            if (cgroup is not null)
            {
                // The kernel moves the process when the write returns; what it allocates from now on is charged to the
                // cgroup. Until that outweighs the host's load, the host's reading may still be the most constraining.
                await File.WriteAllTextAsync(Path.Join(cgroup, "cgroup.procs"), process.Id.ToString(CultureInfo.InvariantCulture));
                output.WriteLine($"probe after joining the cgroup: {await SendAsync(process, "check")}");
            }

            var reply = string.Empty;
            for (var i = 0; i < 2 * LimitMegabytes / ChunkMegabytes; i++)
            {
                reply = await SendAsync(process, $"alloc {ChunkMegabytes}");
                if (!reply.StartsWith("ok", StringComparison.Ordinal))
                {
                    break;
                }
            }

            output.WriteLine($"probe under pressure: {reply}");
            Assert.StartsWith("rejected", reply);
            Assert.Contains($" {expectedSource} ", reply, StringComparison.Ordinal);
            Assert.False(process.HasExited, "the probe died although the guard refused it in time");

            Assert.Equal("freed", await SendAsync(process, "free"));
            var accepted = await PollAsync(process, $"alloc {ChunkMegabytes}", reply => reply.StartsWith("ok", StringComparison.Ordinal));
            output.WriteLine($"probe after freeing: {accepted}");
        }
        finally
        {
            if (process is not null)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(ReplyTimeout);
                process.Dispose();
            }

            if (cgroup is not null)
            {
                await RemoveCgroupAsync(cgroup);
            }
        }
    }

    private static string? TryCreateCgroup(out string why)
    {
        var path = Path.Join(CgroupV1Mount, "keel-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (!Directory.Exists(CgroupV1Mount))
            {
                why = $"{CgroupV1Mount} does not exist (no cgroup v1 memory controller)";
                return null;
            }

            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Join(path, "memory.limit_in_bytes"), ((long)LimitMegabytes << 20).ToString(CultureInfo.InvariantCulture));
            why = string.Empty;
            return path;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            why = exception.Message;
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: false); // no process has joined it yet
            }

            return null;
        }
    }

    /// <summary>
    /// Removes the cgroup once its last process is gone. The probe has exited, but the kernel may take a moment to let
    /// go of the group: the removal is retried on a timer tick (awaited, not spun), for at most 10 seconds.
    /// </summary>
    private static async Task RemoveCgroupAsync(string path)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (true)
        {
            try
            {
                Directory.Delete(path, recursive: false);
                return;
            }
            catch (IOException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await timer.WaitForNextTickAsync();
            }
        }
    }

    /// <summary>The probe built with these tests: tests/Keel.MemoryGuard.Probe/bin/{configuration}/{framework}/.</summary>
    private static string ProbePath()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent!.Name;
        var testsDirectory = baseDirectory.Parent.Parent!.Parent!.Parent!.FullName;
        var probe = Path.Join(testsDirectory, "Keel.MemoryGuard.Probe", "bin", configuration, framework, "Keel.MemoryGuard.Probe.dll");
        Assert.True(File.Exists(probe), $"The probe was not built at {probe}: build tests/Keel.Tests, which references it.");
        return probe;
    }

    private static async Task<string> SendAsync(Process process, string command)
    {
        await process.StandardInput.WriteLineAsync(command);
        await process.StandardInput.FlushAsync();
        return await ReadAsync(process);
    }

    private static async Task<string> ReadAsync(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(ReplyTimeout);
        if (line is null)
        {
            await process.WaitForExitAsync().WaitAsync(ReplyTimeout);
            Assert.Fail($"The probe ended (exit code {process.ExitCode}; 137 is an OOM kill) instead of answering. stderr: {await process.StandardError.ReadToEndAsync()}");
        }

        Assert.NotEqual("oom", line);
        return line;
    }

    /// <summary>Sends <paramref name="command"/> until a reply satisfies <paramref name="done"/>, within a deadline.</summary>
    private static async Task<string> PollAsync(Process process, string command, Func<string, bool> done)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var reply = await SendAsync(process, command);
            if (done(reply))
            {
                return reply;
            }

            Assert.True(stopwatch.Elapsed < PollDeadline, $"'{command}' did not succeed within {PollDeadline}; last reply: {reply}");
        }
    }
}
