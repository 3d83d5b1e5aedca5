namespace Keel.MemoryGuard;

/// <summary>
/// Options of the memory guard: the load above which calls are refused, what to do first, and an optional estimate of
/// what each call needs, which turns the guard into admission control.
/// </summary>
/// <remarks>
/// Options are validated once, when a pipeline is built or at start-up, and copied by the decorator; changing an
/// instance afterwards does not change a built pipeline.
/// </remarks>
public sealed class MemoryGuardOptions
{
    /// <summary>Gets or sets the memory load (bytes in use ÷ limit, of the most constraining source) above which calls are refused.</summary>
    /// <value>The default value is 0.90.</value>
    public double MaxMemoryLoad { get; set; } = MemoryGuardDefaults.MaxMemoryLoad;

    /// <summary>Gets or sets what the guard does with a call while memory is short.</summary>
    /// <value>The default value is <see cref="MemoryGuardAction.CollectThenReject"/>.</value>
    public MemoryGuardAction Action { get; set; } = MemoryGuardDefaults.Action;

    /// <summary>
    /// Gets or sets how long <see cref="MemoryGuardAction.Wait"/> waits for memory to free before refusing the call, and
    /// the longest <see cref="MemoryGuardAction.CollectThenReject"/> waits for the collection it asked for.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan MaxWait { get; set; } = MemoryGuardDefaults.MaxWait;

    /// <summary>Gets or sets how long a refused caller is told to wait (<see cref="MemoryPressureException.RetryAfter"/>, the HTTP <c>Retry-After</c> header).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RetryAfter { get; set; } = MemoryGuardDefaults.RetryAfter;

    /// <summary>
    /// Gets or sets how many bytes one call is expected to need. When set, each call reserves it against the headroom
    /// (limit × <see cref="MaxMemoryLoad"/> − bytes in use − bytes already reserved) and returns it when the call ends,
    /// however it ends; a call whose estimate does not fit is handled like one under pressure.
    /// </summary>
    /// <value>The default value is 0: no admission control, only the load is checked.</value>
    public long EstimatedBytes { get; set; }
}
