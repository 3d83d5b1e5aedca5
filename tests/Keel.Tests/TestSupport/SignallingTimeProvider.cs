using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test each time a timer is created, so a test can advance the clock
/// exactly when code under test has started to wait — including a wait that blocks another thread.
/// </summary>
internal sealed class SignallingTimeProvider : TimeProvider
{
    private readonly SemaphoreSlim _timerCreated = new(0);

    public FakeTimeProvider Fake { get; } = new();

    public List<TimeSpan> RequestedWaits { get; } = [];

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        lock (RequestedWaits)
        {
            RequestedWaits.Add(dueTime);
        }

        _timerCreated.Release();
        return timer;
    }

    /// <summary>Waits (bounded) until code under test creates its next timer.</summary>
    public async Task WaitForTimerAsync()
    {
        if (!await _timerCreated.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The code under test did not start waiting within 10 seconds.");
        }
    }
}
