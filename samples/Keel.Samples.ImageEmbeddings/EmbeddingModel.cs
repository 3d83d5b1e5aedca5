using Keel.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// The model class: ResNet18 behind Keel's decorators, in the canonical order — Monitor (duration and outcome by
/// model and version), ValidateInput (shape and element type from the preprocessing graph's own metadata, finite
/// values within 0–255), CacheResult (profile <c>embeddings</c>: in memory, and in Redis when <c>Keel:Redis</c> is
/// configured), MemoryGuard (profile <c>embeddings</c>: refuses with 503 + Retry-After under memory pressure, reserving a
/// measured per-inference figure) — then the model. Every HTTP path (PNG, JPEG, raw tensor, URL, similarity) embeds
/// through <see cref="EmbedAsync"/>, so a picture already seen is a cache hit whichever way it came.
/// </summary>
internal sealed class EmbeddingModel
{
    public const string Operation = "embed";
    public const string Profile = "embeddings";

    private static readonly AsyncLocal<ModelRun?> s_run = new();
    private readonly ResNet18 _network;
    private readonly ServiceMetrics _metrics;
    private readonly InferencePipeline<EmbeddingModel, DenseTensor<float>, float[]> _pipeline;

    public EmbeddingModel(ResNet18 network, ServiceMetrics metrics, InferencePipelineFactory keel)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(keel);
        _network = network;
        _metrics = metrics;
        _pipeline = keel.For<DenseTensor<float>, float[]>(ResNet18.Name, ResNet18.Version)
            .WithOperation(Operation)
            .WithInputDescriptor(OnnxDescriptors.DenseTensor<float>())
            .UseMonitor(Profile)
            .UseValidateInput(network.Preprocessing, ResNet18.PixelsInput, static v => v.Finite().Within(0, 255))
            .UseCacheResult(Profile)
            .UseMemoryGuard(Profile)
            .Build<EmbeddingModel>(static (model, pixels, _) => model.EmbedCore(pixels));
    }

    /// <summary>
    /// Embeds a 1×3×224×224 tensor of 0–255 RGB values, channels first. <see cref="Embedding.Cached"/> is true when
    /// this call did not run the model: an in-memory or Redis hit, or an identical call in flight that it waited for.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pixels"/> is <see langword="null"/>.</exception>
    /// <exception cref="InputValidationException">The tensor's shape or values are not what the model takes.</exception>
    /// <exception cref="MemoryPressureException">The service is short of memory.</exception>
    public async ValueTask<Embedding> EmbedAsync(DenseTensor<float> pixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);

        // The flag flows into the model call of this request only; a cached answer never reaches EmbedCore.
        var run = new ModelRun();
        s_run.Value = run;
        var values = await _pipeline.ExecuteAsync(this, pixels, cancellationToken).ConfigureAwait(false);
        return new Embedding(values, Cached: !run.Ran);
    }

    /// <summary>The same model with no decorator, for the load test's comparison only.</summary>
    public float[] EmbedUndecorated(DenseTensor<float> pixels) => EmbedCore(pixels);

    private float[] EmbedCore(DenseTensor<float> pixels)
    {
        s_run.Value?.MarkRan();
        _metrics.ModelRan();
        return _network.Embed(pixels);
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
