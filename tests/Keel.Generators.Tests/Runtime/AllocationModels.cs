using System.ComponentModel.DataAnnotations;

namespace Keel.Generators.Tests.Runtime;

/// <summary>
/// The decorated shapes <see cref="AllocationTests"/> measures, each beside the hand-built pipeline the generator
/// writes for it (<see cref="Pipelines"/>), so that a test can compare the two.
/// </summary>
[InferenceModel("alloc", "1.0.0")]
public sealed partial class AllocationModel(InferencePipelineProvider? pipelines = null)
{
    public const int Elements = 64;

    [Monitor, CacheResult(TtlSeconds = 30), MemoryGuard, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial ValueTask<float> ScoreAsync([Shape(Elements), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);

    [Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default);

    [Monitor, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial int Add(int input, CancellationToken cancellationToken = default);

    [Monitor, Retry]
    public partial Task SendAsync(int input, CancellationToken cancellationToken);

    [Monitor, Retry]
    public partial ValueTask NotifyAsync(int input, CancellationToken cancellationToken);

    [CacheResult]
    public partial string Describe(Customer customer, int limit);

    public int Calls { get; private set; }

    internal static float Score(float[] features) => features.Sum();

    private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken)
    {
        Calls++;
        return new ValueTask<float>(Score(features));
    }

    private ValueTask<int> AddCoreAsync(int input, CancellationToken cancellationToken) => new(input + 1);

    private int AddCore(int input, CancellationToken cancellationToken) => input + 1;

    private Task SendCoreAsync(int input, CancellationToken cancellationToken)
    {
        Calls += input;
        return Task.CompletedTask;
    }

    private ValueTask NotifyCoreAsync(int input, CancellationToken cancellationToken)
    {
        Calls += input;
        return ValueTask.CompletedTask;
    }

    private string DescribeCore(Customer customer, int limit)
    {
        Calls++;
        return customer.Name;
    }

    /// <summary>The pipelines the generator writes for this class, built by hand with the same builder calls.</summary>
    internal static class Pipelines
    {
        public static InferencePipeline<AllocationModel, float[], float> Score() =>
            InferencePipeline.For<float[], float>("alloc", "1.0.0")
                .WithOperation("score")
                .UseMonitor()
                .UseValidateInput("features", static features => features.Shape(Elements).Finite().Within(0, 1))
                .UseCacheResult(static options => options.TimeToLive = TimeSpan.FromSeconds(30))
                .UseMemoryGuard()
                .UseRetry(static options => { options.MaxAttempts = 4; options.BaseDelay = TimeSpan.FromSeconds(1); })
                .Build<AllocationModel>(static (self, input, cancellationToken) => self.ScoreCoreAsync(input, cancellationToken));

        public static InferencePipeline<AllocationModel, int, int> AddAsync() =>
            InferencePipeline.For<int, int>("alloc", "1.0.0")
                .WithOperation("add")
                .UseRetry(static options => { options.MaxAttempts = 4; options.BaseDelay = TimeSpan.FromSeconds(1); })
                .Build<AllocationModel>(static (self, input, cancellationToken) => self.AddCoreAsync(input, cancellationToken));

        public static InferencePipeline<AllocationModel, int, int> Add() =>
            InferencePipeline.For<int, int>("alloc", "1.0.0")
                .WithOperation("add")
                .UseMonitor()
                .UseRetry(static options => { options.MaxAttempts = 4; options.BaseDelay = TimeSpan.FromSeconds(1); })
                .Build<AllocationModel>(static (self, input, cancellationToken) => self.AddCore(input, cancellationToken));
    }
}

public sealed record Customer([property: Required] string Name, [property: Range(0, 1000)] double Credit);

/// <summary>The interface form of <see cref="AllocationModel"/>'s methods, decorated by the generated <c>AllocationScorerDecorator</c>.</summary>
[InferenceModel("alloc", "1.0.0")]
public interface IAllocationScorer
{
    [Monitor, CacheResult(TtlSeconds = 30), MemoryGuard, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    ValueTask<float> ScoreAsync([Shape(AllocationModel.Elements), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);

    [Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default);

    [Monitor, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    int Add(int input, CancellationToken cancellationToken = default);
}

public sealed class AllocationScorer : IAllocationScorer
{
    public int Calls { get; private set; }

    public ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken = default)
    {
        Calls++;
        return new ValueTask<float>(AllocationModel.Score(features));
    }

    public ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default) => new(input + 1);

    public int Add(int input, CancellationToken cancellationToken = default) => input + 1;
}
