using System.ComponentModel.DataAnnotations;
using Keel.Retry;

namespace Keel.Generators.Tests.Runtime;

/// <summary>The README's model shape: every decorator, a tensor parameter with rules, a container when given one.</summary>
[InferenceModel("fraud", "3.2.0")]
public sealed partial class FraudModel(InferencePipelineProvider? pipelines = null)
{
    private readonly Queue<Exception> _failures = new();

    public int Calls { get; private set; }

    public void FailNext(params Exception[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }
    }

    [Monitor, CacheResult(TtlSeconds = 30), MemoryGuard, Retry(MaxAttempts = 3, BaseDelaySeconds = 1, Jitter = RetryJitter.None)]
    public partial ValueTask<float> ScoreAsync([Shape(4), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);

    private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken)
    {
        Calls++;
        return _failures.TryDequeue(out var failure) ? ValueTask.FromException<float>(failure) : new ValueTask<float>(features.Sum());
    }
}

/// <summary>Several parameters, a record with DataAnnotations, a synchronous method and ones without a result.</summary>
[InferenceModel("orders", "1.0.0")]
public sealed partial class OrderModel
{
    public int Calls { get; private set; }

    public List<string> Sent { get; } = [];

    [CacheResult]
    public partial string Describe(Order order, int limit);

    private string DescribeCore(Order order, int limit)
    {
        Calls++;
        return $"{order.Customer}:{order.Amount}:{limit}";
    }

    [Monitor, Retry]
    public partial Task SendAsync(string message, CancellationToken cancellationToken);

    private Task SendCoreAsync(string message, CancellationToken cancellationToken)
    {
        Sent.Add(message);
        return Task.CompletedTask;
    }

    [ValidateInput]
    public partial void Record([MaxElements(2)] int[] values);

    private void RecordCore(int[] values) => Sent.Add(string.Join(",", values));

    [Monitor]
    public static partial Task<int> CountAsync(string text);

    private static Task<int> CountCoreAsync(string text) => Task.FromResult(text.Length);
}

public sealed record Order([property: Required] string Customer, [property: Range(0, 1000)] double Amount);

/// <summary>A client the user does not own, decorated through its interface.</summary>
public interface IFeatureStore
{
    string Name { get; }

    [Retry("feature-store", BaseDelaySeconds = 1, Jitter = RetryJitter.None), CacheResult(TtlSeconds = 60)]
    ValueTask<float[]> GetFeaturesAsync(string entityId, CancellationToken cancellationToken = default);

    void Reset();
}

public sealed class FakeFeatureStore : IFeatureStore
{
    private readonly Queue<Exception> _failures = new();

    public string Name => "fake";

    public int Calls { get; private set; }

    public int Resets { get; private set; }

    public void FailNext(params Exception[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }
    }

    public ValueTask<float[]> GetFeaturesAsync(string entityId, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _failures.TryDequeue(out var failure) ? ValueTask.FromException<float[]>(failure) : new ValueTask<float[]>([entityId.Length, 1]);
    }

    public void Reset() => Resets++;
}
