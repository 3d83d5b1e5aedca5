using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>Records Keel's duration measurements (as tag sets) and spans, for one model name.</summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _spans;
    private readonly string _model;

    public TelemetryRecorder(string model)
    {
        _model = model;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Keel" && instrument.Name == "keel.inference.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((_, _, tags, _) => Record(tags));
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "Keel",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("keel.model"), _model))
                {
                    lock (Spans)
                    {
                        Spans.Add($"{activity.OperationName} {activity.GetTagItem("keel.outcome")}");
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_spans);
    }

    public List<string> Measurements { get; } = [];

    public List<string> Spans { get; } = [];

    private void Record(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            values[tag.Key] = tag.Value;
        }

        if (Equals(values.GetValueOrDefault("keel.model"), _model))
        {
            lock (Measurements)
            {
                Measurements.Add(string.Join(",", values.Select(static kv => $"{kv.Key}={kv.Value}")));
            }
        }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }
}
