using Keel.MemoryGuard;

namespace Keel.Samples.AotWebApi;

/// <summary>A memory source that always reports the same load, so the sample's 503s are reproducible.</summary>
internal sealed class FixedMemorySource(double load) : IMemoryPressureSource
{
    private const long LimitBytes = 1L << 30;

    public string Name => "fixed";

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, LimitBytes, (long)(LimitBytes * load));
        return true;
    }
}
