using Keel;
using Keel.MemoryGuard;

namespace Fraud;

// The README's model: every decorator, written out of canonical order, and every tensor rule.
[InferenceModel("fraud", "3.2.0")]
public sealed partial class FraudModel(InferencePipelineProvider? pipelines = null)
{
    [Resilience("fraud-breaker"), Retry("feature-store", MaxAttempts = 5, BaseDelaySeconds = 0.2), MemoryGuard(MaxMemoryLoad = 0.9, Action = MemoryGuardAction.Reject)]
    [CacheResult(TtlSeconds = 30, MaxStaleSeconds = 120), ValidateInput, Monitor(RecordPredictions = true)]
    public partial ValueTask<float> ScoreAsync(
        [Shape(1, 64), Finite, Within(0, 1), NotEmpty, MaxElements(64)] float[,] features,
        CancellationToken cancellationToken = default);

    private ValueTask<float> ScoreCoreAsync(float[,] features, CancellationToken cancellationToken) =>
        new(features[0, 0]);
}
