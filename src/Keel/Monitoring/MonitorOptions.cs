namespace Keel.Monitoring;

/// <summary>
/// Options of the monitor decorator. Durations, outcomes, spans and logs are always recorded (each only when something
/// listens); these options turn on the parts that cost more or only make sense for some models.
/// </summary>
/// <remarks>
/// Options are validated once, when a pipeline is built, and copied by the decorator; changing an instance afterwards
/// does not change a built pipeline.
/// </remarks>
public sealed class MonitorOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether input and result sizes are recorded in the
    /// <c>keel.inference.input.size</c> and <c>keel.inference.output.size</c> histograms (elements), for the types Keel
    /// can describe (see <see cref="ValueDescriptor.For{T}"/>). They are off by default because they cost two more
    /// recordings per call than the duration alone, and a model with a fixed input shape records one value forever;
    /// shapes and sizes are on a sampled call's span either way.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RecordSizes { get; set; } = MonitorDefaults.RecordSizes;

    /// <summary>
    /// Gets or sets a value indicating whether each scalar result is recorded in the
    /// <c>keel.inference.prediction</c> histogram, to watch the distribution of the model's output. It needs a numeric
    /// scalar result: <see cref="float"/>, <see cref="double"/>, <see cref="Half"/>, <see cref="decimal"/> or an integer type.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RecordPredictions { get; set; } = MonitorDefaults.RecordPredictions;

    /// <summary>
    /// Gets or sets the upper bounds of the prediction histogram's buckets, in increasing order. Use the same
    /// boundaries for every pipeline of a process: a metric has one bucket layout in OpenTelemetry.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: 0, 0.1, 0.2, … 1, eleven boundaries for a probability or score.
    /// (A null default lets configuration give the whole list, instead of adding to a default one.)
    /// </value>
    public IList<double>? PredictionBuckets { get; set; }
}
