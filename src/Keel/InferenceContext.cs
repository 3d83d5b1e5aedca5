using Keel.Caching;

namespace Keel;

/// <summary>
/// The state of one call through an <see cref="InferencePipeline{TInput, TResult}"/>: which model and operation
/// it is for, the caller's cancellation token, and the attempt in progress.
/// </summary>
/// <remarks>
/// Contexts are pooled and reused: a context is valid only until the call it was created for completes.
/// Do not keep a reference to it after a callback returns.
/// </remarks>
public sealed class InferenceContext
{
    internal InferenceContext()
    {
    }

    /// <summary>Gets the name of the model the call is for, for example <c>fraud</c>.</summary>
    public string ModelName { get; private set; } = string.Empty;

    /// <summary>Gets the version of the model the call is for, for example <c>3.2.0</c>.</summary>
    public string ModelVersion { get; private set; } = string.Empty;

    /// <summary>Gets the name of the operation, for example <c>predict</c>.</summary>
    public string OperationName { get; private set; } = string.Empty;

    /// <summary>Gets the token that cancels the call: the caller's, or one that an outer decorator substituted.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>
    /// Gets the number of the attempt in progress, starting at 1. It stays 1 when no retry decorator is in the pipeline.
    /// </summary>
    public int AttemptNumber { get; internal set; } = 1;

    /// <summary>
    /// Gets a value indicating whether the call came through a synchronous entry point, in which case decorators
    /// wait synchronously instead of yielding the thread.
    /// </summary>
    public bool IsSynchronous { get; private set; }

    /// <summary>Gets or sets what the cache decorator found, for the monitor.</summary>
    internal CacheLookupResult CacheResult { get; set; }

    internal void Initialize(string modelName, string modelVersion, string operationName, CancellationToken cancellationToken, bool isSynchronous)
    {
        ModelName = modelName;
        ModelVersion = modelVersion;
        OperationName = operationName;
        CancellationToken = cancellationToken;
        IsSynchronous = isSynchronous;
        AttemptNumber = 1;
        CacheResult = CacheLookupResult.None;
    }

    internal void Reset()
    {
        ModelName = string.Empty;
        ModelVersion = string.Empty;
        OperationName = string.Empty;
        CancellationToken = default;
        IsSynchronous = false;
        AttemptNumber = 1;
        CacheResult = CacheLookupResult.None;
    }
}
