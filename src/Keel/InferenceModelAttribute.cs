namespace Keel;

/// <summary>
/// Names the model a class (or interface) serves, for the source generator: the name and version tag every measurement
/// and span of its decorated methods and are part of every cache key, so a new version never serves an old one's
/// results.
/// </summary>
/// <example>
/// <code>
/// [InferenceModel("fraud", "3.2.0")]
/// public sealed partial class FraudModel(InferenceSession session) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class InferenceModelAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="InferenceModelAttribute"/> class.</summary>
    /// <param name="name">The model's name, for example <c>fraud</c>.</param>
    /// <param name="version">The model's version, for example <c>3.2.0</c>.</param>
    public InferenceModelAttribute(string name, string version)
    {
        Name = name;
        Version = version;
    }

    /// <summary>Gets the model's name.</summary>
    public string Name { get; }

    /// <summary>Gets the model's version.</summary>
    public string Version { get; }
}
