using Keel.MemoryGuard;

namespace Keel.AspNetCore.Tests.TestSupport;

/// <summary>A memory source whose usage the test sets: no test depends on the real host's memory load.</summary>
internal sealed class FakeMemorySource(long limitBytes, long usedBytes) : IMemoryPressureSource
{
    private long _usedBytes = usedBytes;

    public string Name => "fake";

    public long UsedBytes
    {
        get => Interlocked.Read(ref _usedBytes);
        set => Interlocked.Exchange(ref _usedBytes, value);
    }

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, limitBytes, UsedBytes);
        return true;
    }
}
