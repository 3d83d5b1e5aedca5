using System.Diagnostics.Metrics;

namespace Keel.Tests.TestSupport;

/// <summary>
/// Records every measurement of the instruments of the meters created by one <see cref="IMeterFactory"/>. Observable
/// instruments (Keel's cache counts) are read when <see cref="Measurements"/> is: their measurements are the current
/// cumulative values, one per series, as a collector would see them.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<RecordedMeasurement> _measurements = [];
    private readonly List<RecordedMeasurement> _observed = [];
    private readonly Dictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);

    public MetricRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                lock (_instruments)
                {
                    _instruments[instrument.Name] = instrument;
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<RecordedMeasurement> Measurements
    {
        get
        {
            lock (_measurements)
            {
                _observed.Clear();
                _listener.RecordObservableInstruments();
                return [.. _measurements, .. _observed];
            }
        }
    }

    public Instrument Instrument(string name)
    {
        lock (_instruments)
        {
            return _instruments.TryGetValue(name, out var instrument) ? instrument : throw new InvalidOperationException($"Instrument {name} was never published.");
        }
    }

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => [.. Measurements.Where(m => m.Instrument == instrument)];

    public RecordedMeasurement Single(string instrument) => Assert.Single(Of(instrument));

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            (instrument.IsObservable ? _observed : _measurements).Add(new RecordedMeasurement(instrument.Name, instrument.Unit, value, copy));
        }
    }
}

internal sealed record RecordedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The tag set as one string, to count distinct series.</summary>
    public string Series => Instrument + "{" + string.Join(",", Tags.Select(t => $"{t.Key}={t.Value}")) + "}";
}
