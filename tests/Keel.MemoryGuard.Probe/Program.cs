// The memory guard's probe: reads commands from stdin, one a line, and answers one line each on stdout.
//   alloc <MB>   allocate and keep <MB> megabytes (every page touched) through a guarded pipeline:
//                "ok <load> <source> <keptMB>" or "rejected <load> <source> <keptMB>"
//   free         drop everything kept: "freed"
//   check        "reading <load> <source> <limitBytes> <usedBytes>"
//   exit         end
// Started with the guard's threshold as its only argument. It prints "oom" and exits with 3 if the runtime runs out
// of memory first, which is what the guard is there to prevent.
using System.Globalization;
using Keel;
using Keel.MemoryGuard;
using Microsoft.Extensions.DependencyInjection;

var maxMemoryLoad = double.Parse(args[0], CultureInfo.InvariantCulture);
var services = new ServiceCollection();
services.AddKeel().ConfigureMemorySampler(static o => o.SampleInterval = TimeSpan.FromMilliseconds(10));
using var provider = services.BuildServiceProvider();
var sampler = provider.GetRequiredService<MemorySampler>();
var kept = new List<byte[]>();
var pipeline = provider.GetRequiredService<InferencePipelineFactory>()
    .For<int, int>("probe", "1")
    .UseMemoryGuard(new MemoryGuardOptions { MaxMemoryLoad = maxMemoryLoad, Action = MemoryGuardAction.CollectThenReject })
    .Build((megabytes, _) =>
    {
        var block = GC.AllocateUninitializedArray<byte>(megabytes << 20);
        for (var i = 0; i < block.Length; i += 4096)
        {
            block[i] = 1;
        }

        kept.Add(block);
        return kept.Count;
    });

Console.Out.Flush();
Console.WriteLine(Describe("ready"));
try
{
    while (Console.ReadLine() is { } line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts.FirstOrDefault())
        {
            case "alloc":
                try
                {
                    pipeline.Execute(int.Parse(parts[1], CultureInfo.InvariantCulture));
                    Console.WriteLine(Describe("ok"));
                }
                catch (MemoryPressureException)
                {
                    Console.WriteLine(Describe("rejected"));
                }

                break;
            case "free":
                kept.Clear();
                Console.WriteLine("freed");
                break;
            case "check":
                var reading = sampler.Current;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reading {reading.Load:0.0000} {reading.Source} {reading.LimitBytes} {reading.UsedBytes}"));
                break;
            case "exit":
                return 0;
        }
    }
}
catch (OutOfMemoryException)
{
    kept.Clear();
    Console.WriteLine("oom");
    return 3;
}

return 0;

string Describe(string outcome)
{
    var reading = sampler.Current;
    return string.Create(CultureInfo.InvariantCulture, $"{outcome} {reading.Load:0.0000} {reading.Source} {kept.Sum(static b => (long)b.Length) >> 20}");
}
