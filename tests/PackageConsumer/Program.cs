using Keel;
using Keel.MemoryGuard;
using Keel.Onnx;
using Keel.Retry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.ML.OnnxRuntime.Tensors;

// Uses the four packages as an application would, from the local feed, and exits non-zero on any deviation.
var failures = new List<string>();
void Expect(bool condition, string what)
{
    Console.WriteLine($"consumer: {(condition ? "ok  " : "FAIL")} {what}");
    if (!condition)
    {
        failures.Add(what);
    }
}

var services = new ServiceCollection().AddLogging();
services.AddKeel()
    .ConfigureMemorySampler(o =>
    {
        o.UseBuiltInSources = false;
        o.Sources.Add(new FixedMemorySource(0.5));
    })
    .AddRedisCache(o =>
    {
        o.Configuration = "127.0.0.1:6379";
        o.KeySecret = new string('k', 32);
    });
services.AddKeelProblemDetails();
services.AddHealthChecks().AddKeelMemoryHealthCheck();
await using var provider = services.BuildServiceProvider();
var factory = provider.GetRequiredService<InferencePipelineFactory>();

// Keel: validation, memory guard and retry around a model that fails once.
var modelCalls = 0;
var score = factory.For<float[], float>("fraud", "3.2.0")
    .UseValidateInput("features", v => v.Shape(4).Finite().Within(0, 1))
    .UseMemoryGuard()
    .UseRetry(new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(1) })
    .Build((features, _) => ++modelCalls == 1
        ? ValueTask.FromException<float>(new TransientException("feature store busy"))
        : new ValueTask<float>(features.Sum() / features.Length));
Expect(await score.ExecuteAsync([0.1f, 0.2f, 0.3f, 0.4f]) == 0.25f && modelCalls == 2, "a transient failure is retried");
try
{
    await score.ExecuteAsync([0.1f, float.NaN, 0.3f, 2f]);
    Expect(false, "invalid input is refused");
}
catch (InputValidationException invalid)
{
    Expect(invalid.Violations.Count >= 2 && modelCalls == 2, "invalid input is refused before the model, every violation listed");
}

// Keel.Onnx: DenseTensor cache keys (in memory only: no pipeline here uses Redis).
var embedCalls = 0;
var embed = InferencePipeline.For<DenseTensor<float>, float>("embed", "1.0")
    .WithInputDescriptor(OnnxDescriptors.DenseTensor<float>())
    .UseCacheResult(TimeSpan.FromMinutes(1))
    .Build((tensor, _) => new ValueTask<float>(++embedCalls));
var first = await embed.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [2, 2]));
var second = await embed.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [2, 2]));
var transposedShape = await embed.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [4, 1]));
Expect(first == second && embedCalls == 2 && transposedShape == 2, "equal tensors share a cache entry, another shape does not");

// Keel's source generator, which ships inside the Keel package: a decorated partial method and an interface decorator.
var ranker = new Ranker(provider.GetRequiredService<InferencePipelineProvider>());
Expect(ranker.Rank("ab") == 2 && ranker.Rank("ab") == 2 && ranker.Calls == 1, "a [CacheResult] partial method compiled by the packaged generator");
Expect(InferenceDecorators.Decorate<IScorer>(new ConstantScorer()) is ScorerDecorator, "an interface with Keel attributes gets its generated decorator");

// Keel.AspNetCore: the readiness check through the health check service.
var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Expect(report.Status == HealthStatus.Healthy && report.Entries.ContainsKey("keel-memory"), "the memory health check is registered and healthy");

Console.WriteLine(failures.Count == 0 ? "consumer: the packages work from the feed" : $"consumer: {failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

/// <summary>A model whose method the packaged generator decorates.</summary>
[InferenceModel("ranker", "1.0")]
internal sealed partial class Ranker(InferencePipelineProvider pipelines)
{
    public int Calls { get; private set; }

    [Monitor, CacheResult]
    public partial int Rank(string text);

    private int RankCore(string text) => ++Calls == 0 ? 0 : text.Length;
}

public interface IScorer
{
    [Retry]
    ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken = default);
}

internal sealed class ConstantScorer : IScorer
{
    public ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken = default) => new(1f);
}

/// <summary>A memory source with a fixed load, so the check does not depend on this machine's memory.</summary>
internal sealed class FixedMemorySource(double load) : IMemoryPressureSource
{
    public string Name => "fixed";

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, 1L << 30, (long)((1L << 30) * load));
        return true;
    }
}
