using Keel.Monitoring;

namespace Keel;

/// <summary>
/// Records every call of the method: its duration and outcome by model, version and operation, a span, and logs. It is
/// the outermost decorator, so it sees every outcome, a rejection by validation or the memory guard and a cache hit
/// included. The source generator compiles it into the method's wrapper; the model's name and version come from
/// <see cref="InferenceModelAttribute"/> on the class. The properties set on the attribute are the lowest layer of the
/// profile's options: code (<c>ConfigureMonitor</c>) and then configuration (<c>Keel:Monitor:{profile}</c>) override them.
/// </summary>
/// <example>
/// <code>
/// [Monitor(RecordPredictions = true)]
/// public ValueTask&lt;float&gt; ScoreAsync(float[] features, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MonitorAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="MonitorAttribute"/> class for the default profile.</summary>
    public MonitorAttribute()
    {
        Profile = MonitorDefaults.ProfileName;
    }

    /// <summary>Initializes a new instance of the <see cref="MonitorAttribute"/> class for a named profile.</summary>
    /// <param name="profile">The profile's name, for example <c>scoring</c>: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</param>
    public MonitorAttribute(string profile)
    {
        Profile = profile;
    }

    /// <summary>Gets the profile's name.</summary>
    /// <value>The default value is <c>Default</c>.</value>
    public string Profile { get; }

    /// <summary>Gets or sets a value indicating whether input and result sizes are recorded in histograms.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RecordSizes { get; set; } = MonitorDefaults.RecordSizes;

    /// <summary>Gets or sets a value indicating whether scalar results are recorded in the prediction histogram.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RecordPredictions { get; set; } = MonitorDefaults.RecordPredictions;
}
