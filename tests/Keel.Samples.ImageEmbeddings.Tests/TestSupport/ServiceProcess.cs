using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>
/// The service as a real process on 127.0.0.1 and a port it picks (<c>--urls http://127.0.0.1:0</c>), started with
/// settings of the test's (environment variables, <c>Embeddings__MaxInFlight=1</c> style), awaited until it prints where
/// it listens, and stopped by its pid. By default it runs the service's own build output with <c>dotnet</c>; with
/// <c>KEEL_SERVICE_BINARY</c> set it runs that executable instead (the Native AOT binary). Optionally started inside a
/// memory cgroup (<see cref="MemoryCgroup"/>), which it joins before the runtime starts, so every byte it uses is charged there.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, MemoryCgroup? cgroup = null)
    {
        var (program, arguments) = Command();
        ProcessStartInfo start;
        if (cgroup is null)
        {
            start = new ProcessStartInfo(program);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            // The shell joins the cgroup, then becomes the service: the runtime's own memory is charged from its first byte.
            start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.ProcsFile, program } };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetDirectoryName(program == "dotnet" ? arguments[0] : program)!;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var output = new StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The service exited before it listened."));
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start the service ({program}).", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri address;
        try
        {
            address = await listening.Task.WaitAsync(s_startDeadline);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            Kill(process);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            throw new InvalidOperationException($"The service did not start listening within {s_startDeadline}. Its output:{Environment.NewLine}{log}", exception);
        }

        var service = new ServiceProcess(process, address);
        lock (output)
        {
            service._output.Append(output);
        }

        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        return service;
    }

    /// <summary>Reads one sample of a Prometheus counter or gauge (the sum over its series matching every label filter).</summary>
    public async Task<double> MetricAsync(string name, params string[] labels)
    {
        var scrape = await Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return Metrics.Sum(scrape, name, labels);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            using var byPid = Process.GetProcessById(process.Id);
            byPid.Kill();
            byPid.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The service's build output next to this test's (same configuration), or <c>KEEL_SERVICE_BINARY</c>.</summary>
    private static (string Program, string[] Arguments) Command()
    {
        if (Environment.GetEnvironmentVariable("KEEL_SERVICE_BINARY") is { Length: > 0 } binary)
        {
            return (Path.GetFullPath(binary), []);
        }

        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var relative = Path.GetRelativePath(RepositoryRoot.TestProject.FullName, testOutput.FullName);
        var service = Path.Combine(RepositoryRoot.Path, "samples", "Keel.Samples.ImageEmbeddings", relative, "Keel.Samples.ImageEmbeddings.dll");
        return File.Exists(service)
            ? ("dotnet", [service])
            : throw new FileNotFoundException($"The service was not built at {service}: build tests/Keel.Samples.ImageEmbeddings.Tests, which references it.", service);
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
