using System.Diagnostics.Metrics;
using Keel.Monitoring;

namespace Keel.Tests.Monitoring;

public class KeelCounterTests
{
    [Fact]
    public void Increment_CountsOnlyWhileSomethingListensToTheInstrument()
    {
        using var meter = new Meter("Keel.Tests.Counter." + Guid.NewGuid().ToString("N"));
        KeelCounter? counter = null;
        var instrument = meter.CreateObservableCounter("lookups", () => counter!.Value);
        counter = new KeelCounter(instrument);

        counter.Increment();
        var unobserved = counter.Value;
        using var listener = new MeterListener();
        long observed = -1;
        listener.InstrumentPublished = (published, l) =>
        {
            if (ReferenceEquals(published, instrument))
            {
                l.EnableMeasurementEvents(published);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        counter.Increment();
        counter.Increment();
        listener.RecordObservableInstruments();

        Assert.Equal((0, 2, 2), (unobserved, counter.Value, observed));
    }
}
