using Keel.MemoryGuard;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Tests.MemoryGuard;

/// <summary>A memory source whose limit and usage the test sets; thread-safe.</summary>
internal sealed class FakeMemorySource(long limitBytes, long usedBytes) : IMemoryPressureSource
{
    public const long GB = 1L << 30;

    private long _usedBytes = usedBytes;

    public string Name => "fake";

    public long LimitBytes { get; set; } = limitBytes;

    public long UsedBytes
    {
        get => Interlocked.Read(ref _usedBytes);
        set => Interlocked.Exchange(ref _usedBytes, value);
    }

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, LimitBytes, UsedBytes);
        return true;
    }

    /// <summary>A sampler over this source alone, every 250 ms on <paramref name="timeProvider"/>; a "full collection" runs <paramref name="onCollect"/>.</summary>
    public MemorySampler CreateSampler(TimeProvider timeProvider, Action? onCollect = null) =>
        new([this], timeProvider, TimeSpan.FromMilliseconds(250), NullLogger.Instance) { Collect = onCollect ?? (static () => { }) };
}
