namespace Keel.Monitoring;

/// <summary>
/// A count kept on Keel's side and read by an observable instrument when a collector asks: counting is one
/// interlocked increment instead of a recording through every listener, which is what keeps a cache hit near the
/// cost of its hash and lookup.
/// </summary>
internal sealed class KeelCounter
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);
}
