namespace Keel.Caching;

/// <summary>What the cache decorator found for a call; the monitor reports it as the call's outcome and on its span.</summary>
internal enum CacheLookupResult : byte
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
