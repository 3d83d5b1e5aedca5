using Keel.MemoryGuard;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Keel.Tests.MemoryGuard.FakeMemorySource;

namespace Keel.Tests.MemoryGuard;

public class MemorySamplerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Current_SeveralSources_TheMostConstrainingWins()
    {
        var host = new FakeMemorySource(24 * GB, 2 * GB);
        var container = new FakeMemorySource(GB, GB / 2);

        using var sampler = new MemorySampler([host, container], _time, TimeSpan.FromMilliseconds(250), NullLogger.Instance);

        Assert.Equal(0.5, sampler.Current.Load, 3);
        Assert.Equal(GB, sampler.Current.LimitBytes);
    }

    [Fact]
    public void Current_ClockMovesByTheInterval_SamplesAgain()
    {
        var source = new FakeMemorySource(10 * GB, GB);
        using var sampler = new MemorySampler([source], _time, TimeSpan.FromMilliseconds(250), NullLogger.Instance);

        source.UsedBytes = 5 * GB;
        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(0.1, sampler.Current.Load, 3);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0.5, sampler.Current.Load, 3);
    }

    [Fact]
    public void Current_ASourceThrows_UsesTheOthers()
    {
        var source = new FakeMemorySource(10 * GB, GB);

        using var sampler = new MemorySampler([new ThrowingSource(), source], _time, TimeSpan.FromMilliseconds(250), NullLogger.Instance);

        Assert.Equal("fake", sampler.Current.Source);
    }

    [Fact]
    public void Current_NoSourceApplies_ReportsNoLoad()
    {
        using var sampler = new MemorySampler([], _time, TimeSpan.FromMilliseconds(250), NullLogger.Instance);

        Assert.Equal(0, sampler.Current.Load);
        Assert.Equal("none", sampler.Current.Source);
    }

    [Fact]
    public void TryReserve_ConcurrentReservations_NeverExceedTheHeadroom()
    {
        var source = new FakeMemorySource(10 * GB, 6 * GB);
        using var sampler = source.CreateSampler(_time);

        var granted = 0;
        Parallel.For(0, 100, _ =>
        {
            if (sampler.TryReserve(GB / 10, 0.9))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(30, granted);
        Assert.Equal(30 * (GB / 10), sampler.ReservedBytes);
    }

    private sealed class ThrowingSource : IMemoryPressureSource
    {
        public string Name => "throwing";

        public bool TryRead(out MemoryReading reading) => throw new IOException("unreadable");
    }
}
