using Keel.Caching;
using Keel.Monitoring;

namespace Keel;

/// <summary>
/// The state of one call through a Keel pipeline: which model and operation it is for, the caller's cancellation
/// token, and what the decorators found out about the call (the attempt in progress, what the cache answered, the
/// outcome the monitor reports).
/// </summary>
/// <remarks>
/// Contexts are pooled and reused: a context is valid only until the call it was created for completes. Do not keep a
/// reference to it after a decorator or callback returns. A decorator that runs the rest of the pipeline with another
/// cancellation token (a timeout, hedging) does so through
/// <see cref="InferenceHandler{TInput, TResult}.InvokeAsync(TInput, InferenceContext, CancellationToken)"/>: what the
/// inner decorators record then lands on the outer call's context.
/// </remarks>
public sealed class InferenceContext
{
    private InferenceContext? _root;
    private int _attemptNumber = 1;
    private CacheLookupResult _cacheResult;
    private string? _outcome;

    internal InferenceContext()
    {
    }

    /// <summary>Gets the name of the model the call is for, for example <c>fraud</c>.</summary>
    public string ModelName => Identity.ModelName;

    /// <summary>Gets the version of the model the call is for, for example <c>3.2.0</c>.</summary>
    public string ModelVersion => Identity.ModelVersion;

    /// <summary>Gets the name of the operation, for example <c>predict</c>.</summary>
    public string OperationName => Identity.OperationName;

    /// <summary>Gets the token that cancels the call: the caller's, or one that an outer decorator substituted.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>
    /// Gets a value indicating whether the call came through a synchronous entry point, in which case decorators
    /// wait synchronously instead of yielding the thread, and every <see cref="ValueTask{TResult}"/> a decorator
    /// returns must already be complete.
    /// </summary>
    public bool IsSynchronous { get; private set; }

    /// <summary>
    /// Gets or sets the number of the attempt in progress, starting at 1. A retry decorator sets it; it stays 1 when
    /// there is none. The monitor reports it on the call's span.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public int AttemptNumber
    {
        get => (_root ?? this)._attemptNumber;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            (_root ?? this)._attemptNumber = value;
        }
    }

    /// <summary>
    /// Gets or sets what a cache decorator found for the call; the monitor puts it on the call's span.
    /// </summary>
    /// <value>The default value is <see cref="CacheLookupResult.None"/>: no cache has looked.</value>
    public CacheLookupResult CacheResult
    {
        get => (_root ?? this)._cacheResult;
        set => (_root ?? this)._cacheResult = value;
    }

    /// <summary>
    /// Gets or sets the outcome the monitor reports for a call that returns a result, as the <c>keel.outcome</c> tag,
    /// for example <see cref="KeelOutcomes.CacheHit"/>; a decorator that answers a call without the model sets it.
    /// Keep the set of values small and fixed: it becomes a metric dimension. Failed calls take their outcome from
    /// the exception instead (<see cref="InferenceRefusedException.Outcome"/>, otherwise <see cref="KeelOutcomes.Error"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the monitor reports <see cref="KeelOutcomes.Success"/>.</value>
    public string? Outcome
    {
        get => (_root ?? this)._outcome;
        set => (_root ?? this)._outcome = value;
    }

    /// <summary>Records at once what the cache found and the outcome it makes the call (one look-up of the root context).</summary>
    internal void SetAnswered(CacheLookupResult cacheResult, string outcome)
    {
        var record = _root ?? this;
        record._cacheResult = cacheResult;
        record._outcome = outcome;
    }

    /// <summary>Gets the state passed to <see cref="InferencePipeline{TState, TInput, TResult}.ExecuteAsync"/>, for the terminal link.</summary>
    internal object? State { get; private set; }

    internal PipelineIdentity Identity { get; private set; } = PipelineIdentity.None;

    internal void Initialize(PipelineIdentity identity, object? state, CancellationToken cancellationToken, bool isSynchronous)
    {
        Identity = identity;
        State = state;
        CancellationToken = cancellationToken;
        IsSynchronous = isSynchronous;
    }

    /// <summary>Makes this context a child of <paramref name="parent"/> with another token: it reads and writes the parent's record of the call.</summary>
    internal void InitializeChild(InferenceContext parent, CancellationToken cancellationToken)
    {
        Initialize(parent.Identity, parent.State, cancellationToken, parent.IsSynchronous);
        _root = parent._root ?? parent;
    }

    internal void Reset()
    {
        Identity = PipelineIdentity.None;
        State = null;
        CancellationToken = default;
        IsSynchronous = false;
        _root = null;
        _attemptNumber = 1;
        _cacheResult = CacheLookupResult.None;
        _outcome = null;
    }
}

/// <summary>The model, version and operation of a pipeline, fixed when it is built and shared by every call.</summary>
internal sealed class PipelineIdentity(string modelName, string modelVersion, string operationName)
{
    public static readonly PipelineIdentity None = new(string.Empty, string.Empty, string.Empty);

    public string ModelName { get; } = modelName;

    public string ModelVersion { get; } = modelVersion;

    public string OperationName { get; } = operationName;
}
