namespace Keel;

/// <summary>
/// Runs the method inside the Polly v8 pipeline registered in the container under <see cref="PipelineKey"/>
/// (circuit breaker, timeout, hedging, rate limiter, …). The source generator compiles it into the method's wrapper.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ResilienceAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceAttribute"/> class.</summary>
    /// <param name="pipelineKey">The key the Polly pipeline is registered under with <c>services.AddResiliencePipeline</c>.</param>
    public ResilienceAttribute(string pipelineKey)
    {
        PipelineKey = pipelineKey;
    }

    /// <summary>Gets the key the Polly pipeline is registered under.</summary>
    public string PipelineKey { get; }
}
