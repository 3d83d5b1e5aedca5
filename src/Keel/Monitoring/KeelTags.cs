namespace Keel.Monitoring;

/// <summary>
/// The tag names of Keel's measurements and span attributes. No tag value is ever derived from a model's input, so the
/// number of series stays bounded whatever the traffic.
/// </summary>
public static class KeelTags
{
    /// <summary>The model's name, for example <c>fraud</c>: on every measurement and span.</summary>
    public const string Model = "keel.model";

    /// <summary>The model's version, for example <c>3.2.0</c>: on every measurement and span.</summary>
    public const string ModelVersion = "keel.model.version";

    /// <summary>The operation, for example <c>predict</c>: on every per-call measurement and span.</summary>
    public const string Operation = "keel.operation";

    /// <summary>How a call ended: one of the values of <see cref="KeelOutcomes"/>.</summary>
    public const string Outcome = "keel.outcome";

    /// <summary>The full name of the exception's type when a call failed, for example <c>System.TimeoutException</c>.</summary>
    public const string ErrorType = "error.type";

    /// <summary>What the cache found: <c>hit</c>, <c>miss</c>, <c>stale</c> or <c>unavailable</c> (a shared level that did not answer).</summary>
    public const string CacheResult = "keel.cache.result";

    /// <summary>Which cache level was looked up: <c>memory</c> or <c>redis</c>.</summary>
    public const string CacheLevel = "keel.cache.level";

    /// <summary>The retry profile, for example <c>feature-store</c>; <c>(code)</c> for options given in code.</summary>
    public const string RetryProfile = "keel.retry.profile";

    /// <summary>The validation rule that was broken, for example <c>Within</c>.</summary>
    public const string ValidationRule = "keel.validation.rule";

    /// <summary>What validation did about a violation: <c>block</c>, <c>warn</c> or <c>observe</c>.</summary>
    public const string ValidationAction = "keel.validation.action";

    /// <summary>The memory guard's action when it refused a call: <c>collect_then_reject</c>, <c>wait</c> or <c>reject</c>.</summary>
    public const string MemoryAction = "keel.memory.action";

    /// <summary>The input feature a drift measurement is for, by its name in the baseline profile.</summary>
    public const string Feature = "keel.feature";

    /// <summary>Span attribute: the input's shape, for example <c>float[1,3,224,224]</c>. Never a metric tag.</summary>
    public const string InputShape = "keel.input.shape";

    /// <summary>Span attribute: the result's shape, for example <c>float[1,512]</c>. Never a metric tag.</summary>
    public const string OutputShape = "keel.output.shape";

    /// <summary>Span attribute: the input's size in elements.</summary>
    public const string InputSize = "keel.input.size";

    /// <summary>Span attribute: the result's size in elements.</summary>
    public const string OutputSize = "keel.output.size";

    /// <summary>Span attribute: the number of attempts the call made (more than 1 when it was retried).</summary>
    public const string Attempts = "keel.attempts";
}
