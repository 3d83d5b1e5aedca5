namespace Keel.Monitoring;

/// <summary>The values of the <see cref="KeelTags.Outcome"/> tag.</summary>
public static class KeelOutcomes
{
    /// <summary>The model answered.</summary>
    public const string Success = "success";

    /// <summary>The call failed with an exception other than the two below; <see cref="KeelTags.ErrorType"/> names it.</summary>
    public const string Error = "error";

    /// <summary>The input was rejected by validation (<see cref="InputValidationException"/>).</summary>
    public const string Invalid = "invalid";

    /// <summary>The memory guard refused the call (<see cref="MemoryPressureException"/>).</summary>
    public const string Rejected = "rejected";

    /// <summary>The cache answered, with a fresh entry or, when the model failed, a stale one; the model was not called or its failure was masked.</summary>
    public const string CacheHit = "cache_hit";
}
