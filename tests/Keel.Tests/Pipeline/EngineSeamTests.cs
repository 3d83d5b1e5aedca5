using System.Diagnostics.Metrics;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;

namespace Keel.Tests.Pipeline;

/// <summary>The public seam: decorators written outside Keel, state-passing calls, tuple inputs, the per-call outcome and refusals.</summary>
[Collection(KeelActivitySourceCollection.Name)]
public sealed class EngineSeamTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly ServiceProvider _services;
    private readonly MetricRecorder _metrics;

    public EngineSeamTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(_meters);
        services.AddKeel();
        _services = services.BuildServiceProvider();
        _metrics = new MetricRecorder(_meters);
    }

    [Fact]
    public async Task Use_DecoratorWrittenOutsideKeel_RunsInItsPlaceAndSeesTheBuildContext()
    {
        var seen = new List<string>();
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .Use("Audit", (next, context) => new AuditHandler(next, $"{context.ModelName}/{context.ModelVersion}/{context.OperationName}", seen))
            .UseRetry(new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.Zero })
            .Build(static (x, _) => new ValueTask<int>(x * 2));

        var result = await pipeline.ExecuteAsync(21);

        Assert.Equal(42, result);
        Assert.Equal(["Audit", "Retry"], pipeline.Decorators);
        Assert.Equal(["fraud/3.2.0/predict: 21 -> 42"], seen);
    }

    [Fact]
    public void Use_DecoratorReportingProblems_BuildThrowsOneExceptionWithKeelsOwnInOrder()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .Use("RateLimit", static (next, context) =>
            {
                context.AddError("RateLimit:PermitsPerSecond must be at least 1, but was 0.");
                return next;
            })
            .UseRetry(new RetryOptions { MaxAttempts = 0 });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (x, _) => x));

        Assert.Equal(
            ["RateLimit:PermitsPerSecond must be at least 1, but was 0.", "RetryOptions:MaxAttempts must be at least 1 (1 turns retry off), but was 0."],
            exception.Failures);
    }

    [Fact]
    public void Use_InvalidArguments_ThrowNamingTheParameter()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0");

        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => builder.Use(" ", static (next, _) => next)).ParamName);
        Assert.Equal("decorator", Assert.Throws<ArgumentNullException>(() => builder.Use("Audit", null!)).ParamName);
    }

    [Fact]
    public async Task BuildWithState_TwoInstances_ShareOnePipelineAndOneCache()
    {
        var pipeline = InferencePipeline.For<float[], float>("fraud", "3.2.0")
            .UseCacheResult()
            .Build<ScoringModel>(static (model, features, _) => new ValueTask<float>(model.Score(features)));
        var first = new ScoringModel(weight: 2);
        var second = new ScoringModel(weight: 3);

        var a = await pipeline.ExecuteAsync(first, [1f, 2f]);
        var b = await pipeline.ExecuteAsync(second, [1f, 2f]);
        var c = await pipeline.ExecuteAsync(second, [1f, 1f]);

        Assert.Equal((6f, 6f, 6f), (a, b, c));
        Assert.Equal((1, 1), (first.Calls, second.Calls));
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => pipeline.Execute(null!, [1f])).ParamName);
    }

    [Fact]
    public async Task TupleInput_CacheKeysEveryPartAndValidationNamesTheParameter()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<(float[] Features, string Segment), float>("fraud", "3.2.0")
            .WithInputDescriptor(ValueDescriptor.Tuple(ValueDescriptor.For<float[]>()!, ValueDescriptor.For<string>()!))
            .UseValidateInput(v => v
                .ForParameter("features", static i => i.Features, p => p.Shape(2).Within(0, 1))
                .ForParameter("segment", static i => i.Segment, p => p.Must("known-segment", s => s is "retail" or "business" ? null : "an unknown segment")))
            .UseCacheResult()
            .Build((input, _) =>
            {
                calls++;
                return new ValueTask<float>(input.Features.Sum() + input.Segment.Length);
            });

        await pipeline.ExecuteAsync(([0.5f, 0.5f], "retail"));
        await pipeline.ExecuteAsync(([0.5f, 0.5f], "retail"));
        await pipeline.ExecuteAsync(([0.5f, 0.5f], "business"));
        var invalid = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(([0.5f, 7f], "wholesale")).AsTask());

        Assert.Equal(2, calls);
        Assert.Equal(["features[1]", "segment"], invalid.Violations.Select(static v => v.Parameter));
    }

    [Fact]
    public void TupleDescriptor_PartsThatConcatenateAlike_NeverShareAKey()
    {
        var descriptor = ValueDescriptor.Tuple(ValueDescriptor.For<string>()!, ValueDescriptor.For<string>()!);

        var left = CacheKeys.Copy(descriptor, ("ab", "c"));
        var right = CacheKeys.Copy(descriptor, ("a", "bc"));
        var alone = CacheKeys.Copy(ValueDescriptor.For<string>()!, "abc");

        Assert.False(left.AsSpan().SequenceEqual(right));
        Assert.False(left.AsSpan().SequenceEqual(alone));
        Assert.Equal(CacheKeys.Hash(descriptor, ("ab", "c")), CacheKeys.Hash(descriptor, ("ab", "c")));
        Assert.Equal("(string[2], string[1])", descriptor.DescribeShape(("ab", "c")));
    }

    [Fact]
    public async Task Outcome_CacheHitBehindAPollyPipeline_ReportedAsCacheHit()
    {
        var polly = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(30)).Build();
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<float[], float>("seam-polly", "1")
            .UseMonitor()
            .UseResilience(polly)
            .UseCacheResult()
            .Build(static (x, _) => new ValueTask<float>(x.Sum()));

        await pipeline.ExecuteAsync([1f]);
        await pipeline.ExecuteAsync([1f]);

        Assert.Equal(
            [KeelOutcomes.Success, KeelOutcomes.CacheHit],
            _metrics.Of(KeelDiagnostics.InferenceDuration).Select(static m => m.Tags[KeelTags.Outcome]));
    }

    [Fact]
    public async Task Refusal_OfYourOwn_NeverRetriedAndReportedWithItsOutcome()
    {
        var model = FlakyModel.AlwaysFailing(static () => new QuotaExceededException());
        var pipeline = _services.GetRequiredService<InferencePipelineFactory>().For<int, int>("seam-refusal", "1")
            .UseMonitor()
            .UseRetry(new RetryOptions { BaseDelay = TimeSpan.Zero, ShouldRetry = static _ => ValueTask.FromResult(true) })
            .Build(model.Invoke);

        await Assert.ThrowsAsync<QuotaExceededException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(1, model.Calls);
        Assert.Equal("quota_exceeded", _metrics.Single(KeelDiagnostics.InferenceDuration).Tags[KeelTags.Outcome]);
        Assert.False(TransientFailure.IsTransient(new QuotaExceededException()));
    }

    [Fact]
    public void Context_AttemptNumberBelowOne_RefusedNamingTheValue()
    {
        InferenceContext? captured = null;
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .Use("Probe", (next, _) => new ProbeHandler(next, context =>
            {
                captured = context;
                Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => context.AttemptNumber = 0).ParamName);
            }))
            .Build(static (x, _) => x);

        pipeline.Execute(1);

        Assert.NotNull(captured);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        _meters.Dispose();
    }

    /// <summary>A decorator as a user of Keel would write one: it holds the next link and records each call.</summary>
    private sealed class AuditHandler(InferenceHandler<int, int> next, string identity, List<string> seen) : InferenceHandler<int, int>
    {
        public override async ValueTask<int> InvokeAsync(int input, InferenceContext context)
        {
            var result = await next.InvokeAsync(input, context);
            seen.Add($"{identity}: {input} -> {result}");
            return result;
        }
    }

    private sealed class ProbeHandler(InferenceHandler<int, int> next, Action<InferenceContext> probe) : InferenceHandler<int, int>
    {
        public override ValueTask<int> InvokeAsync(int input, InferenceContext context)
        {
            probe(context);
            return next.InvokeAsync(input, context);
        }
    }

    private sealed class ScoringModel(float weight)
    {
        public int Calls { get; private set; }

        public float Score(float[] features)
        {
            Calls++;
            return weight * features.Sum();
        }
    }

    private sealed class QuotaExceededException() : InferenceRefusedException("The tenant's quota is spent.")
    {
        public override string Outcome => "quota_exceeded";
    }
}
