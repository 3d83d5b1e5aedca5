using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keel.Redis.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a free 127.0.0.1 port, in its own temporary folder, with persistence off, run in the
/// foreground as a child process: start-up awaits its "Ready to accept connections" line, and a stop awaits its exit, so
/// nothing polls. When another process takes the chosen port first, the server fails to bind and is started again on
/// another port. It can be killed and started again on the same port for fault tests, and is stopped by its pid on
/// dispose. When redis-server is not installed, creating one fails with a message saying how to install it: these
/// tests never skip.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const int BindAttempts = 5;
    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(15);
    private readonly DirectoryInfo _directory;
    private Process? _process;

    public RedisServer()
    {
        _directory = Directory.CreateTempSubdirectory("keel-redis-tests-");
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                try
                {
                    Start();
                    return;
                }
                catch (PortTakenException) when (attempt < BindAttempts)
                {
                    // Another process bound the port between FreePort and redis-server: try another one.
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; private set; }

    /// <summary>Gets the StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it says it accepts connections.</summary>
    public void Start()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory.FullName,
        };
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", _directory.FullName,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited."));
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InvalidOperationException(
                "The Keel.Redis tests need a real redis-server on the PATH, and none was found. Install it " +
                "(apt-get install -y --no-install-recommends redis-server; .ci/run does this) and run the tests again.",
                exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            ready.Task.Wait(s_startDeadline);
            if (!ready.Task.IsCompletedSuccessfully)
            {
                throw new TimeoutException($"redis-server did not accept connections on port {Port} within {s_startDeadline}.");
            }
        }
        catch (Exception exception) when (exception is AggregateException or TimeoutException)
        {
            Stop(process);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            if (log.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new PortTakenException();
            }

            throw new InvalidOperationException($"redis-server did not start on port {Port}. Its output:{Environment.NewLine}{log}", exception);
        }

        _process = process;
    }

    /// <summary>Kills the server at once (SIGKILL, as a crash would), by its pid, and waits for it to exit.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            _process = null;
            Stop(process);
        }
    }

    public void Dispose()
    {
        Kill();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            using var byPid = Process.GetProcessById(process.Id);
            byPid.Kill();
            byPid.WaitForExit();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }

        process.WaitForExit();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class PortTakenException : Exception;
}

/// <summary>One server shared by the tests that neither kill nor pause it; each test uses its own model name.</summary>
public sealed class SharedRedisServer : IDisposable
{
    public RedisServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<SharedRedisServer>
{
    public const string Name = "redis";
}
