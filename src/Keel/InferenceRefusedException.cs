using Keel.Monitoring;

namespace Keel;

/// <summary>
/// The base of failures by which a decorator refuses a call instead of running it: invalid input
/// (<see cref="InputValidationException"/>), memory pressure (<see cref="MemoryPressureException"/>), or a refusal of
/// your own. Keel's retry never retries them — the same call would be refused again, or retrying in place would defeat
/// the refusal — and the monitor reports <see cref="Outcome"/> as the call's <c>keel.outcome</c>.
/// </summary>
public abstract class InferenceRefusedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="InferenceRefusedException"/> class.</summary>
    /// <param name="message">The message.</param>
    protected InferenceRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InferenceRefusedException"/> class with the failure it wraps.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure behind the refusal.</param>
    protected InferenceRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Gets the outcome the monitor reports for the refused call, for example <see cref="KeelOutcomes.Invalid"/> or
    /// <see cref="KeelOutcomes.Rejected"/>. Keep it one of a small, fixed set: it becomes a metric dimension.
    /// </summary>
    public abstract string Outcome { get; }
}
