using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keel.Redis.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a free 127.0.0.1 port, in its own temporary folder, with persistence off. It can be
/// killed and started again on the same port for fault tests, and is stopped by its pid on dispose. When redis-server
/// is not installed, creating one fails with a message saying how to install it: these tests never skip.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(15);
    private readonly DirectoryInfo _directory;
    private int? _pid;

    public RedisServer()
    {
        _directory = Directory.CreateTempSubdirectory("keel-redis-tests-");
        Port = FreePort();
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    /// <summary>Gets the StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    private string PidFile => Path.Combine(_directory.FullName, "redis.pid");

    private string LogFile => Path.Combine(_directory.FullName, "redis.log");

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public void Start()
    {
        File.Delete(PidFile);
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
            "--daemonize", "yes", "--pidfile", PidFile, "--logfile", LogFile, "--dir", _directory.FullName,
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var launcher = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
            if (!launcher.WaitForExit(s_startDeadline))
            {
                launcher.Kill();
                throw new InvalidOperationException($"redis-server did not daemonize within {s_startDeadline}.");
            }
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                "The Keel.Redis tests need a real redis-server on the PATH, and none was found. Install it " +
                "(apt-get install -y --no-install-recommends redis-server; .ci/run does this) and run the tests again.",
                exception);
        }

        if (!Poll.Until(() => TryPing() && TryReadPid(out _), s_startDeadline))
        {
            throw new InvalidOperationException($"redis-server did not answer PING on port {Port} within {s_startDeadline}. Its log:{Environment.NewLine}{ReadLog()}");
        }

        TryReadPid(out var pid);
        _pid = pid;
    }

    /// <summary>Kills the server at once (SIGKILL, as a crash would) and waits until its port no longer answers.</summary>
    public void Kill()
    {
        if (_pid is not { } pid)
        {
            return;
        }

        _pid = null;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        if (!Poll.Until(() => !TryPing(), s_startDeadline))
        {
            throw new InvalidOperationException($"redis-server (pid {pid}) still answers on port {Port} after being killed.");
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

    private bool TryReadPid(out int pid)
    {
        pid = 0;
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out pid);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private bool TryPing()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 1000, SendTimeout = 1000 };
            socket.Connect(IPAddress.Loopback, Port);
            socket.Send("PING\r\n"u8);
            var buffer = new byte[16];
            var read = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
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
