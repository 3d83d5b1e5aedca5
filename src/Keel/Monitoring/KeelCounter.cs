using System.Diagnostics.Metrics;

namespace Keel.Monitoring;

/// <summary>
/// A count kept on Keel's side and read by an observable instrument when a collector asks: counting is one
/// interlocked increment instead of a recording through every listener, which is what keeps a cache hit near the
/// cost of its hash and lookup. While nothing listens to the instrument nothing is counted (as a counter's
/// <c>Add</c> records nothing then), so a pipeline nobody observes pays one field read.
/// </summary>
internal sealed class KeelCounter(Instrument instrument)
{
    private readonly Instrument _instrument = instrument;
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment()
    {
        if (_instrument.Enabled)
        {
            Interlocked.Increment(ref _value);
        }
    }
}
