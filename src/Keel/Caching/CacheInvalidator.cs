namespace Keel.Caching;

/// <summary>
/// Removes cached results of a model, or of one version of it, from every in-memory level of the pipelines built in
/// the same container (or, for <see cref="Standalone"/>, by <see cref="InferencePipeline.For{TInput, TResult}"/>) and
/// from the shared level when one is registered. A new model version needs no invalidation: the version is part of
/// every key.
/// </summary>
public sealed class CacheInvalidator
{
    private readonly List<WeakReference<IInvalidatableLevel>> _levels = [];
    private readonly IDistributedCacheLevel? _distributed;

    internal CacheInvalidator(IDistributedCacheLevel? distributed)
    {
        _distributed = distributed;
    }

    /// <summary>Gets the invalidator of pipelines built with <see cref="InferencePipeline.For{TInput, TResult}"/>, which have no shared level.</summary>
    public static CacheInvalidator Standalone { get; } = new(distributed: null);

    /// <summary>Removes the cached results of <paramref name="modelName"/>, of every version or of <paramref name="modelVersion"/>.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="modelVersion">The version, or <see langword="null"/> for every version.</param>
    /// <param name="cancellationToken">Cancels the shared level's part.</param>
    /// <returns>A task that completes when both levels are cleared.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> or <paramref name="modelVersion"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The shared level could not be reached; the in-memory levels are cleared regardless.</exception>
    public async ValueTask InvalidateAsync(string modelName, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (modelVersion is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        }

        foreach (var level in Snapshot())
        {
            if (string.Equals(level.ModelName, modelName, StringComparison.Ordinal)
                && (modelVersion is null || string.Equals(level.ModelVersion, modelVersion, StringComparison.Ordinal)))
            {
                level.Clear();
            }
        }

        if (_distributed is not null)
        {
            await _distributed.InvalidateAsync(modelName, modelVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Register(IInvalidatableLevel level)
    {
        lock (_levels)
        {
            _levels.RemoveAll(static reference => !reference.TryGetTarget(out _));
            _levels.Add(new WeakReference<IInvalidatableLevel>(level));
        }
    }

    private List<IInvalidatableLevel> Snapshot()
    {
        lock (_levels)
        {
            var levels = new List<IInvalidatableLevel>(_levels.Count);
            foreach (var reference in _levels)
            {
                if (reference.TryGetTarget(out var level))
                {
                    levels.Add(level);
                }
            }

            return levels;
        }
    }
}
