namespace Keel.Validation;

/// <summary>What an expectation does when an input breaks it.</summary>
public enum AnomalyAction
{
    /// <summary>Reject the call with <see cref="InputValidationException"/>, like a rule.</summary>
    Block,

    /// <summary>Log a warning and count it in <c>keel.validation.violations</c>, and let the call through.</summary>
    Warn,

    /// <summary>Only count it in <c>keel.validation.violations</c>, and let the call through.</summary>
    Observe,
}
