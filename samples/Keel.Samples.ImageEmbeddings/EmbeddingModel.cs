using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// The model class: ResNet18 behind Keel's decorators, compiled by Keel's source generator into the canonical order —
/// Monitor (duration and outcome by model and version), ValidateInput (the shape and element type the preprocessing
/// graph declares, which <see cref="ResNet18"/> checks against its metadata at start-up; finite values within 0–255),
/// CacheResult (profile <c>embeddings</c>: in memory, and in Redis when <c>Keel:Redis</c> is configured), MemoryGuard
/// (profile <c>embeddings</c>: 503 + Retry-After under memory pressure, reserving a measured per-inference figure) — then
/// <see cref="EmbedCoreAsync"/>. Every HTTP path (PNG, JPEG, raw tensor, URL, similarity) embeds through
/// <see cref="EmbedAsync"/>, so a picture already seen is a cache hit whichever way it came. The profiles' values are
/// in <c>appsettings.json</c> (<c>Keel:CacheResult:embeddings</c>, <c>Keel:MemoryGuard:embeddings</c>, …).
/// </summary>
[InferenceModel(ResNet18.Name, ResNet18.Version)]
internal sealed partial class EmbeddingModel(ResNet18 network, ServiceMetrics metrics, InferencePipelineProvider pipelines)
{
    public const string Profile = "embeddings";

    private static readonly AsyncLocal<ModelRun?> s_run = new();

    /// <summary>Embeds a 1×3×224×224 tensor of 0–255 RGB values, channels first (operation <c>embed</c>).</summary>
    /// <exception cref="InputValidationException">The tensor's shape or values are not what the model takes.</exception>
    /// <exception cref="MemoryPressureException">The service is short of memory.</exception>
    [Monitor(Profile), ValidateInput, CacheResult(Profile), MemoryGuard(Profile)]
    public partial ValueTask<float[]> EmbedAsync(
        [Shape(1, ResNet18.Channels, ResNet18.Side, ResNet18.Side), Finite, Within(0, 255)] DenseTensor<float> pixels,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Embeds through <see cref="EmbedAsync"/> and says whether this call ran the model: <see cref="Embedding.Cached"/> is
    /// true for an in-memory or Redis hit, or when an identical call in flight answered it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pixels"/> is <see langword="null"/>.</exception>
    public async ValueTask<Embedding> GetEmbeddingAsync(DenseTensor<float> pixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);

        // The flag flows into this request's model call only; a cached answer never reaches EmbedCoreAsync.
        var run = new ModelRun();
        s_run.Value = run;
        var values = await EmbedAsync(pixels, cancellationToken).ConfigureAwait(false);
        return new Embedding(values, Cached: !run.Ran);
    }

    /// <summary>The same model with no decorator, for the load test's comparison only.</summary>
    public float[] EmbedUndecorated(DenseTensor<float> pixels) => Run(pixels);

    /// <summary>The body of <see cref="EmbedAsync"/>: what runs when no decorator answers first.</summary>
    private ValueTask<float[]> EmbedCoreAsync(DenseTensor<float> pixels, CancellationToken cancellationToken)
    {
        s_run.Value?.MarkRan();
        return ValueTask.FromResult(Run(pixels));
    }

    private float[] Run(DenseTensor<float> pixels)
    {
        metrics.ModelRan();
        return network.Embed(pixels);
    }

    private sealed class ModelRun
    {
        private volatile bool _ran;

        public bool Ran => _ran;

        public void MarkRan() => _ran = true;
    }
}

/// <summary>A 512-value embedding, and whether the cache answered it.</summary>
/// <param name="Values">The embedding.</param>
/// <param name="Cached">Whether the model was not run for this request.</param>
internal readonly record struct Embedding(float[] Values, bool Cached);
