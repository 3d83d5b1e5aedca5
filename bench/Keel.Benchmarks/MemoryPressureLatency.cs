using Keel.Pipeline;
using System.Diagnostics;
using System.Globalization;
using Keel.MemoryGuard;

namespace Keel.Benchmarks;

/// <summary>
/// The latency cost of <see cref="MemoryGuardAction.CollectThenReject"/> under sustained pressure, as percentiles of
/// every call (BenchmarkDotNet reports means of iterations, not the tail of single calls). A heap of about 1 GB of
/// small live objects makes a full collection expensive; workers run allocating calls through a guarded pipeline
/// whose memory source always reports a load of 0.95, so every call is a pressured one. Two runs:
/// <list type="bullet">
/// <item><c>on the request path</c>: the previous behaviour, re-created here: the pressured call itself runs
/// <c>GC.Collect(2, Aggressive, blocking: true, compacting: true)</c>, at most once per 250 ms sample interval.</item>
/// <item><c>Keel (background)</c>: Keel's guard as shipped.</item>
/// </list>
/// Run with <c>dotnet run -c Release --project bench/Keel.Benchmarks -- pressure</c>.
/// </summary>
internal static class MemoryPressureLatency
{
    private const int Workers = 4;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);

    public static void Run()
    {
        var live = BuildLiveHeap(megabytes: 1_024);
        Console.WriteLine($"live heap: {GC.GetTotalMemory(forceFullCollection: true) >> 20} MB, server GC {System.Runtime.GCSettings.IsServerGC}, GC latency mode {System.Runtime.GCSettings.LatencyMode}");
        Console.WriteLine("| CollectThenReject | calls | collections | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Measure("on the request path (previous)", onRequestPath: true);
        Measure("Keel (background, rate-limited)", onRequestPath: false);
        GC.KeepAlive(live);
    }

    private static void Measure(string label, bool onRequestPath)
    {
        using var sampler = new MemorySampler([new ConstantPressure()], TimeProvider.System, SampleInterval, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var collections = 0;
        var lastCollection = long.MinValue;
        var gate = new Lock();
        var background = sampler.Collect;
        sampler.Collect = () =>
        {
            Interlocked.Increment(ref collections);
            background();
        };

        // The previous behaviour's guard only refuses (its collection is re-created below); Keel's collects itself.
        var options = new MemoryGuardOptions { Action = onRequestPath ? MemoryGuardAction.Reject : MemoryGuardAction.CollectThenReject };
        var pipeline = InferencePipeline.For<int, int>("pressure", "1")
            .Use(MemoryGuardDecorator.Name, (next, context) => MemoryGuardDecorator.Create(next, context, ProfileRequest<MemoryGuardOptions>.FromOptions(options), sampler))
            .Build(static (n, _) => new ValueTask<int>(Work(n)));

        var latencies = new List<double>[Workers];
        var stop = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
        {
            var mine = latencies[w] = new List<double>(1 << 20);
            while (stop.Elapsed < RunTime)
            {
                var started = Stopwatch.GetTimestamp();
                if (onRequestPath)
                {
                    // The previous CollectThenReject, on the calling thread: one blocking, aggressive, compacting
                    // collection per sample interval, whoever calls; then the call is refused (memory stays "short").
                    lock (gate)
                    {
                        if (lastCollection == long.MinValue || Stopwatch.GetElapsedTime(lastCollection) >= SampleInterval)
                        {
                            lastCollection = Stopwatch.GetTimestamp();
                            Interlocked.Increment(ref collections);
                            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                        }
                    }
                }

                try
                {
                    pipeline.Execute(64);
                }
                catch (MemoryPressureException)
                {
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var all = latencies.SelectMany(static l => l).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {all.Length} | {collections} | {Percentile(all, 0.50):0.000} | {Percentile(all, 0.99):0.000} | {Percentile(all, 0.999):0.000} | {all[^1]:0.0} |"));
    }

    /// <summary>A call that allocates (a request's buffers) and does a little work.</summary>
    private static int Work(int kilobytes)
    {
        var buffer = new byte[kilobytes << 10];
        var sum = 0;
        for (var i = 0; i < buffer.Length; i += 256)
        {
            buffer[i] = (byte)i;
            sum += buffer[i];
        }

        return sum;
    }

    private static object[][] BuildLiveHeap(int megabytes)
    {
        // Many small objects: marking and compacting them is what makes a full collection slow.
        const int ObjectsPerChunk = 1 << 16;
        var chunks = new object[megabytes * (1 << 20) / (ObjectsPerChunk * 96)][];
        for (var c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c] = new object[ObjectsPerChunk];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = new byte[64];
            }
        }

        return chunks;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Memory is always short: every call takes the pressured path.</summary>
    private sealed class ConstantPressure : IMemoryPressureSource
    {
        public string Name => "constant";

        public bool TryRead(out MemoryReading reading)
        {
            reading = new MemoryReading("constant", 100, 95);
            return true;
        }
    }
}
