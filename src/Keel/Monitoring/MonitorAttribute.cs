using Keel.Monitoring;

namespace Keel;

/// <summary>
/// Records every call of the method: its duration and outcome by model, version and operation, input and result sizes,
/// a span, and logs. It is the outermost decorator, so it sees every outcome, a rejection by validation or the memory
/// guard and a cache hit included. The source generator compiles it into the method's wrapper.
/// </summary>
/// <example>
/// <code>
/// [Monitor(Model = "fraud", Version = "3.2.0", RecordPredictions = true)]
/// public ValueTask&lt;float&gt; ScoreAsync(float[] features, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MonitorAttribute : Attribute
{
    /// <summary>Gets or sets the model's name, for example <c>fraud</c>; it tags every measurement and span.</summary>
    /// <value>The default value is <see langword="null"/>: the name of the method's class.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the model's version, for example <c>3.2.0</c>; it tags every measurement and span.</summary>
    /// <value>The default value is <see langword="null"/>: the version of the method's assembly.</value>
    public string? Version { get; set; }

    /// <summary>Gets or sets the operation's name, for example <c>score</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the method's name.</value>
    public string? Operation { get; set; }

    /// <summary>Gets or sets a value indicating whether input and result sizes and shapes are recorded.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RecordSizes { get; set; } = MonitorDefaults.RecordSizes;

    /// <summary>Gets or sets a value indicating whether scalar results are recorded in the prediction histogram.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RecordPredictions { get; set; } = MonitorDefaults.RecordPredictions;
}
