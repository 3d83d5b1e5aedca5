namespace Keel.Caching;

/// <summary>What a cache decorator found for a call (<see cref="InferenceContext.CacheResult"/>); the monitor reports it as the call's outcome and on its span.</summary>
public enum CacheLookupResult
{
    /// <summary>No cache decorator ran, or it has not looked yet.</summary>
    None,

    /// <summary>A fresh entry answered the call; the model was not called.</summary>
    Hit,

    /// <summary>No usable entry: the model was called.</summary>
    Miss,

    /// <summary>The model failed and an expired entry within <c>MaxStale</c> answered the call.</summary>
    Stale,
}
