using System.Diagnostics.Metrics;

namespace Keel.Tests.TestSupport;

/// <summary>
/// A meter factory of its own for one test, so that a <see cref="MetricRecorder"/> listening to it sees that test's
/// measurements and no other's, while tests run in parallel.
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
