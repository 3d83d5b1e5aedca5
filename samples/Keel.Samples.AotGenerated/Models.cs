using System.ComponentModel.DataAnnotations;
using Keel.MemoryGuard;
using Keel.Retry;

namespace Keel.Samples.AotGenerated;

/// <summary>
/// The partial-method form: the generator writes each partial method around its body method (<c>ScoreAsync</c> around
/// <c>ScoreCoreAsync</c>), with the decorators in their canonical order whatever order they are written in. Given a
/// container's <see cref="InferencePipelineProvider"/> its pipelines use the container's profiles, time and meters;
/// without one, the process-wide standalone provider.
/// </summary>
[InferenceModel("fraud", "3.2.0")]
public sealed partial class FraudModel(InferencePipelineProvider? pipelines = null)
{
    public int Calls { get; private set; }

    [Retry(MaxAttempts = 3, BaseDelaySeconds = 0.01, Jitter = RetryJitter.None), MemoryGuard, CacheResult(TtlSeconds = 30), Monitor]
    public partial ValueTask<float> ScoreAsync([Shape(4), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);

    [Monitor, CacheResult]
    public partial ValueTask<string> ApproveAsync(LoanApplication application, int term, CancellationToken cancellationToken = default);

    [ValidateInput]
    public partial int Count([NotEmpty, MaxElements(8)] int[] values);

    private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken)
    {
        Calls++;
        return new ValueTask<float>(features.Sum() / features.Length);
    }

    private ValueTask<string> ApproveCoreAsync(LoanApplication application, int term, CancellationToken cancellationToken)
    {
        Calls++;
        return new ValueTask<string>(application.Amount <= 10_000 ? $"approved {application.Applicant} for {term} months" : $"referred {application.Applicant}");
    }

    private int CountCore(int[] values) => values.Length;
}

/// <summary>A record parameter: its DataAnnotations are checked through generated accessors, no reflection.</summary>
public sealed record LoanApplication(
    [property: Required, StringLength(40, MinimumLength = 2)] string Applicant,
    [property: Range(0, 100_000)] double Amount);

/// <summary>
/// The interface form, for a client one does not own: the generator writes <c>FeatureStoreDecorator</c>, which
/// <c>services.AddKeelDecorated&lt;IFeatureStore, FlakyFeatureStore&gt;()</c> registers around the implementation.
/// </summary>
[InferenceModel("feature-store", "1.0.0")]
public interface IFeatureStore
{
    string Name { get; }

    [CacheResult(TtlSeconds = 60), Retry(MaxAttempts = 4, BaseDelaySeconds = 0.01, Jitter = RetryJitter.None)]
    ValueTask<float[]> GetFeaturesAsync(string entityId, CancellationToken cancellationToken = default);
}

/// <summary>Fails its first calls with a transient error, then answers.</summary>
public sealed class FlakyFeatureStore : IFeatureStore
{
    public int FailuresLeft { get; set; } = 2;

    public int Calls { get; private set; }

    public string Name => "flaky";

    public ValueTask<float[]> GetFeaturesAsync(string entityId, CancellationToken cancellationToken = default)
    {
        Calls++;
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            return ValueTask.FromException<float[]>(new TimeoutException("the feature store timed out"));
        }

        return new ValueTask<float[]>([0.1f, 0.2f, 0.3f, entityId.Length / 10f]);
    }
}

/// <summary>A memory source that always reports the same load, so the memory guard's answer is reproducible.</summary>
internal sealed class FixedMemorySource(double load) : IMemoryPressureSource
{
    private const long LimitBytes = 1L << 30;

    public string Name => "fixed";

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, LimitBytes, (long)(LimitBytes * load));
        return true;
    }
}
