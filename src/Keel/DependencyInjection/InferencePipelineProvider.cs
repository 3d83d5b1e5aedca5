using System.Collections.Concurrent;

namespace Keel;

/// <summary>
/// Builds each named pipeline once and hands the same instance to every caller, so that every caller of a model shares
/// one cache, one retry budget and one set of instruments — the way generated code finds its pipeline. A container's
/// provider (registered by <c>services.AddKeel()</c>) builds with the container's profiles, clock, logging and meters
/// and is disposed with it; <see cref="Standalone"/> builds with code defaults. Two containers in one process (two test
/// hosts) have two providers, so they never share a cache or metrics. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var score = provider.GetOrAdd("fraud/score", static keel => keel.For&lt;float[], float&gt;("fraud", "3.2.0")
///     .UseMonitor().UseCacheResult().Build&lt;FraudModel&gt;(static (model, features, ct) => model.ScoreCoreAsync(features, ct)));
/// </code>
/// </example>
public sealed class InferencePipelineProvider : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _pipelines = new(StringComparer.Ordinal);
    private readonly InferencePipelineFactory _factory;
    private volatile bool _disposed;

    internal InferencePipelineProvider(InferencePipelineFactory factory)
    {
        _factory = factory;
    }

    /// <summary>Gets the provider of pipelines built outside any container, with code defaults: one per process.</summary>
    public static InferencePipelineProvider Standalone { get; } = new(InferencePipelineFactory.Standalone);

    /// <summary>
    /// Returns the pipeline built under <paramref name="key"/>, building it with <paramref name="build"/> the first time.
    /// Concurrent first calls build it once. A build that throws is not kept: the next call builds again (and, for a
    /// configuration problem, throws again). Cache the returned pipeline where you can: this is a dictionary lookup.
    /// </summary>
    /// <typeparam name="TPipeline">The pipeline's type, for example <c>InferencePipeline&lt;float[], float&gt;</c>.</typeparam>
    /// <param name="key">The pipeline's key, unique in the provider, for example <c>FraudModel.ScoreAsync</c>.</param>
    /// <param name="build">Builds the pipeline from this provider's factory; best a static lambda.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="build"/> is <see langword="null"/>, or <paramref name="build"/> returned <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">A pipeline of another type is already built under <paramref name="key"/>.</exception>
    /// <exception cref="ObjectDisposedException">The provider's container has been disposed.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The pipeline's options are invalid (thrown by <paramref name="build"/>).</exception>
    public TPipeline GetOrAdd<TPipeline>(string key, Func<InferencePipelineFactory, TPipeline> build)
        where TPipeline : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_pipelines.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out var entry))
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key);
            ArgumentNullException.ThrowIfNull(build);
            var factory = _factory;
            entry = _pipelines.GetOrAdd(key, new Lazy<object>(() => build(factory) ?? throw new ArgumentNullException(nameof(build), $"The build function of pipeline '{key}' returned null.")));
        }

        object pipeline;
        try
        {
            pipeline = entry.Value;
        }
        catch
        {
            _pipelines.TryRemove(new KeyValuePair<string, Lazy<object>>(key, entry));
            throw;
        }

        return pipeline as TPipeline
            ?? throw new InvalidOperationException($"Pipeline '{key}' was built as {pipeline.GetType()}, not {typeof(TPipeline)}: give each pipeline a key of its own.");
    }

    /// <summary>Forgets every pipeline; later calls to <see cref="GetOrAdd"/> throw. The container calls it when it is disposed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _pipelines.Clear();
    }
}
