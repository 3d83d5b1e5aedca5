using Keel.Generators.Tests.TestSupport;
using Keel.Retry;

namespace Keel.Generators.Tests.Runtime;

/// <summary>
/// The generated <see cref="FraudModel.ScoreAsync"/> against the pipeline a user would build by hand for the same
/// attributes: the same calls of the body, the same errors, the same measurements and spans.
/// </summary>
public class EquivalenceTests
{
    public static TheoryData<float[]> InvalidInputs => new()
    {
        { [float.NaN, 0f, 0f, 0f] },
        { [2f, -1f, 0f, 0f] },
        { [0f, 0f] },
        { [float.PositiveInfinity, 0.5f, 0.5f, 7f] },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task InvalidInput_SameExceptionAsTheHandBuiltPipeline(float[] input)
    {
        var (generated, handBuilt) = await BothAsync(s => s.ScoreAsync(input));

        Assert.IsType<Keel.InputValidationException>(generated.Error);
        Assert.Equal(handBuilt.Error!.Message, generated.Error!.Message);
        Assert.Equal(handBuilt.Calls, generated.Calls);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TransientFailures_SameAttemptsAsTheHandBuiltPipeline(int failures)
    {
        var (generated, handBuilt) = await BothAsync(
            s => s.ScoreAsync([0.25f, 0.25f, 0.25f, 0.25f]),
            fail: Enumerable.Range(0, failures).Select(static _ => (Exception)new TimeoutException()).ToArray());

        Assert.Equal(handBuilt.Calls, generated.Calls);
        Assert.Equal(handBuilt.Error?.GetType(), generated.Error?.GetType());
        Assert.Equal(handBuilt.Result, generated.Result);
        Assert.Equal(Math.Min(failures + 1, 3), generated.Calls);
    }

    [Fact]
    public async Task RepeatedAndDistinctInputs_SameCacheHitsAsTheHandBuiltPipeline()
    {
        var (generated, handBuilt) = await BothAsync(async s =>
        {
            await s.ScoreAsync([0.1f, 0.1f, 0.1f, 0.1f]);
            await s.ScoreAsync([0.1f, 0.1f, 0.1f, 0.1f]);
            return await s.ScoreAsync([0.2f, 0.1f, 0.1f, 0.1f]);
        });

        Assert.Equal(2, generated.Calls);
        Assert.Equal(handBuilt.Calls, generated.Calls);
        Assert.Equal(handBuilt.Measurements, generated.Measurements);
    }

    [Fact]
    public async Task MemoryPressure_SameRefusalAsTheHandBuiltPipeline()
    {
        var (generated, handBuilt) = await BothAsync(s => s.ScoreAsync([0.1f, 0.1f, 0.1f, 0.1f]), load: 0.99);

        var refusal = Assert.IsType<MemoryPressureException>(generated.Error);
        Assert.Equal(((MemoryPressureException)handBuilt.Error!).RetryAfter, refusal.RetryAfter);
        Assert.Equal(handBuilt.Error!.Message, refusal.Message);
        Assert.Equal(0, generated.Calls);
    }

    [Fact]
    public async Task Telemetry_SameMeasurementsAndSpansAsTheHandBuiltPipeline()
    {
        var (generated, handBuilt) = await BothAsync(async s =>
        {
            await s.ScoreAsync([0.3f, 0.3f, 0.3f, 0.3f]);
            await s.ScoreAsync([0.3f, 0.3f, 0.3f, 0.3f]);
            try
            {
                await s.ScoreAsync([float.NaN]);
            }
            catch (Keel.InputValidationException)
            {
            }

            return 0f;
        });

        Assert.Equal(3, generated.Measurements.Count);
        Assert.Equal(handBuilt.Measurements, generated.Measurements);
        Assert.Equal(handBuilt.Spans, generated.Spans);
    }

    private static async Task<(Run Generated, Run HandBuilt)> BothAsync(Func<IScorer, ValueTask<float>> act, Exception[]? fail = null, double load = 0.1)
    {
        var generated = await RunAsync(container =>
        {
            var model = new FraudModel(container.Pipelines);
            model.FailNext(fail ?? []);
            return (new GeneratedScorer(model), () => model.Calls);
        }, act, load);
        var handBuilt = await RunAsync(container =>
        {
            var model = new HandBuiltModel(container.Factory);
            model.FailNext(fail ?? []);
            return (model, () => model.Calls);
        }, act, load);
        return (generated, handBuilt);
    }

    private static async Task<Run> RunAsync(Func<TestContainer, (IScorer Scorer, Func<int> Calls)> create, Func<IScorer, ValueTask<float>> act, double load)
    {
        using var container = new TestContainer();
        using var telemetry = new TelemetryRecorder("fraud");
        container.Memory.Load = load;
        var (scorer, calls) = create(container);
        try
        {
            var result = await container.RunAsync(act(scorer).AsTask());
            return new Run(result, null, calls(), telemetry.Measurements, telemetry.Spans);
        }
        catch (Exception e)
        {
            return new Run(null, e, calls(), telemetry.Measurements, telemetry.Spans);
        }
    }

    private sealed record Run(float? Result, Exception? Error, int Calls, List<string> Measurements, List<string> Spans);

    public interface IScorer
    {
        ValueTask<float> ScoreAsync(float[] features);
    }

    private sealed class GeneratedScorer(FraudModel model) : IScorer
    {
        public ValueTask<float> ScoreAsync(float[] features) => model.ScoreAsync(features);
    }

    /// <summary>What a user writes by hand for FraudModel's attributes.</summary>
    private sealed class HandBuiltModel : IScorer
    {
        private readonly Queue<Exception> _failures = new();
        private readonly InferencePipeline<HandBuiltModel, float[], float> _pipeline;

        public HandBuiltModel(InferencePipelineFactory keel)
        {
            _pipeline = keel.For<float[], float>("fraud", "3.2.0")
                .WithOperation("score")
                .UseMonitor()
                .UseValidateInput("features", static v => v.Shape(4).Finite().Within(0, 1))
                .UseCacheResult(static o => o.TimeToLive = TimeSpan.FromSeconds(30))
                .UseMemoryGuard()
                .UseRetry(static o =>
                {
                    o.MaxAttempts = 3;
                    o.BaseDelay = TimeSpan.FromSeconds(1);
                    o.Jitter = RetryJitter.None;
                })
                .Build<HandBuiltModel>(static (self, features, _) => self.ScoreCore(features));
        }

        public int Calls { get; private set; }

        public void FailNext(Exception[] failures)
        {
            foreach (var failure in failures)
            {
                _failures.Enqueue(failure);
            }
        }

        public ValueTask<float> ScoreAsync(float[] features) => _pipeline.ExecuteAsync(this, features);

        private ValueTask<float> ScoreCore(float[] features)
        {
            Calls++;
            return _failures.TryDequeue(out var failure) ? ValueTask.FromException<float>(failure) : new ValueTask<float>(features.Sum());
        }
    }
}
