using BenchmarkDotNet.Running;

if (args is ["pressure"])
{
    // Tail latency of single calls, which BenchmarkDotNet does not measure: see MemoryPressureLatency.
    Keel.Benchmarks.MemoryPressureLatency.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
