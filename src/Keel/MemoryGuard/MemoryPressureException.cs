using System.Globalization;

namespace Keel;

/// <summary>
/// Thrown when a call is refused because the process is short of memory. It carries how long the caller should wait
/// before trying again; it is never retried by Keel's retry decorator, and over HTTP it maps to 503 with
/// <c>Retry-After</c>.
/// </summary>
public sealed class MemoryPressureException : InferenceRefusedException
{
    /// <summary>Initializes a new instance of the <see cref="MemoryPressureException"/> class.</summary>
    /// <param name="memoryLoad">The memory load that was measured, as a ratio of the limit (0 to 1, or above when over it).</param>
    /// <param name="maxMemoryLoad">The load above which calls are refused, as a ratio (0 to 1).</param>
    /// <param name="retryAfter">How long the caller should wait before trying again; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not a finite number.</exception>
    public MemoryPressureException(double memoryLoad, double maxMemoryLoad, TimeSpan retryAfter)
        : base(string.Create(CultureInfo.InvariantCulture, $"The call was refused under memory pressure: memory load {memoryLoad:P1} is above the limit of {maxMemoryLoad:P1}; retry after {retryAfter.TotalSeconds:0.###} s."))
    {
        Validate(memoryLoad, maxMemoryLoad, retryAfter);
        MemoryLoad = memoryLoad;
        MaxMemoryLoad = maxMemoryLoad;
        RetryAfter = retryAfter;
    }

    private static void Validate(double memoryLoad, double maxMemoryLoad, TimeSpan retryAfter)
    {
        if (!double.IsFinite(memoryLoad) || memoryLoad < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryLoad), memoryLoad, "The memory load must be a finite number of at least 0.");
        }

        if (!double.IsFinite(maxMemoryLoad) || maxMemoryLoad is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMemoryLoad), maxMemoryLoad, "The maximum memory load must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MemoryPressureException"/> class for a call whose estimate of the
    /// memory it needs did not fit in the headroom left by the calls in flight.
    /// </summary>
    /// <param name="memoryLoad">The memory load that was measured, as a ratio of the limit (0 to 1, or above when over it).</param>
    /// <param name="maxMemoryLoad">The load above which calls are refused, as a ratio (0 to 1).</param>
    /// <param name="retryAfter">How long the caller should wait before trying again; zero or more.</param>
    /// <param name="estimatedBytes">The bytes the call declared it needs; 0 or more.</param>
    /// <param name="headroomBytes">The bytes that were left for new calls when it was refused (negative when over the limit).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is negative or not a finite number.</exception>
    public MemoryPressureException(double memoryLoad, double maxMemoryLoad, TimeSpan retryAfter, long estimatedBytes, long headroomBytes)
        : this(memoryLoad, maxMemoryLoad, retryAfter, string.Create(CultureInfo.InvariantCulture, $"The call was refused under memory pressure: its estimate of {estimatedBytes} bytes does not fit in the {Math.Max(0, headroomBytes)} bytes left below the limit of {maxMemoryLoad:P1} (memory load {memoryLoad:P1}); retry after {retryAfter.TotalSeconds:0.###} s."))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedBytes);
        EstimatedBytes = estimatedBytes;
    }

    private MemoryPressureException(double memoryLoad, double maxMemoryLoad, TimeSpan retryAfter, string message)
        : base(message)
    {
        Validate(memoryLoad, maxMemoryLoad, retryAfter);
        MemoryLoad = memoryLoad;
        MaxMemoryLoad = maxMemoryLoad;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the memory load that was measured, as a ratio of the limit.</summary>
    public double MemoryLoad { get; }

    /// <summary>Gets the load above which calls are refused, as a ratio.</summary>
    public double MaxMemoryLoad { get; }

    /// <summary>Gets how long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Gets the bytes the refused call declared it needs, or 0 when it declared none and was refused on the load alone.</summary>
    public long EstimatedBytes { get; }

    /// <summary>Gets <see cref="Monitoring.KeelOutcomes.Rejected"/>.</summary>
    public override string Outcome => Monitoring.KeelOutcomes.Rejected;
}
