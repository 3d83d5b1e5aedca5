using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Polly;

namespace Keel.Tests.Pipeline;

public class InferencePipelineBuilderTests
{
    [Theory]
    [InlineData(null, "1", "modelName")]
    [InlineData(" ", "1", "modelName")]
    [InlineData("fraud", "", "modelVersion")]
    public void For_MissingModelNameOrVersion_ThrowsNamingTheParameter(string? name, string? version, string parameter)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => InferencePipeline.For<int, int>(name!, version!));

        Assert.Equal(parameter, exception.ParamName);
    }

    [Fact]
    public void Build_InvalidOptionsInSeveralDecorators_ThrowsOneExceptionListingEveryProblem()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseRetry(new RetryOptions { MaxAttempts = 0, BaseDelay = TimeSpan.FromSeconds(-1) })
            .UseRetry(new RetryOptions { Factor = 0.5, MaxDelay = TimeSpan.FromMilliseconds(500), Budget = { TokenRatio = 2 } });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal(
            [
                "RetryOptions:MaxAttempts must be at least 1 (1 turns retry off), but was 0.",
                "RetryOptions:BaseDelay must be between 00:00:00 and 1.00:00:00, but was -00:00:01.",
                "RetryOptions:MaxDelay must be at least BaseDelay (00:00:01), but was 00:00:00.5000000.",
                "RetryOptions:Factor must be a finite number of at least 1 (1 keeps the delay constant), but was 0.5.",
                "RetryOptions:Budget:TokenRatio must be between 0.001 and 1, but was 2.",
            ],
            exception.Failures);
        Assert.Equal("fraud/3.2.0", exception.OptionsName);
    }

    [Fact]
    public void Build_MoreInvalidOptions_AreNamedWithTheirValues()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0").UseRetry(new RetryOptions
        {
            MaxDelay = TimeSpan.Zero,
            Jitter = (RetryJitter)7,
            MaxTotalDuration = TimeSpan.Zero,
            Budget = { MaxTokens = 0 },
        });

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal(
            [
                "RetryOptions:MaxDelay must be greater than 00:00:00 and at most 1.00:00:00, but was 00:00:00.",
                "RetryOptions:Jitter must be one of None, Full or Decorrelated, but was 7.",
                "RetryOptions:MaxTotalDuration must be greater than 00:00:00 when set, but was 00:00:00.",
                "RetryOptions:Budget:MaxTokens must be between 1 and 1000, but was 0.",
            ],
            exception.Failures);
    }

    [Fact]
    public void Build_ProfileOnStandaloneBuilder_IsThePipelinesValuesOverTheDefaults()
    {
        var defaults = InferencePipeline.For<int, int>("fraud", "3.2.0").UseRetry("feature-store").Build((x, _) => x);
        var off = InferencePipeline.For<int, int>("fraud", "3.2.0").UseRetry("feature-store", o => o.MaxAttempts = 1).Build((x, _) => x);

        Assert.Equal(["Retry"], defaults.Decorators);
        Assert.Empty(off.Decorators);
    }

    [Fact]
    public void Build_DecoratorThatWouldDoNothing_IsLeftOut()
    {
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .UseResilience(ResiliencePipeline.Empty)
            .UseRetry(new RetryOptions { MaxAttempts = 1 })
            .Build((x, _) => x);

        Assert.Empty(pipeline.Decorators);
        Assert.Equal(2, pipeline.Execute(2));
    }

    [Fact]
    public void Build_FirstUseIsOutermost()
    {
        var polly = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(5)).Build();

        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0").UseResilience(polly).UseRetry().Build((x, _) => x);

        Assert.Equal(["Resilience", "Retry"], pipeline.Decorators);
    }

    [Fact]
    public void Build_NullModel_ThrowsNamingTheParameter()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0");

        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => builder.Build((Func<int, CancellationToken, int>)null!)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => builder.Build((Func<int, CancellationToken, ValueTask<int>>)null!)).ParamName);
    }

    [Fact]
    public void WithOperation_Blank_ThrowsNamingTheParameter()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0");

        Assert.Equal("operationName", Assert.ThrowsAny<ArgumentException>(() => builder.WithOperation("")).ParamName);
    }

    [Fact]
    public void Build_SameBuilderTwice_GivesIndependentPipelinesWithTheSameShape()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0").WithOperation("score").UseRetry();

        var first = builder.Build((x, _) => x + 1);
        var second = builder.Build((x, _) => x + 2);

        Assert.Equal((2, 3), (first.Execute(1), second.Execute(1)));
        Assert.Equal(("fraud", "3.2.0", "score"), (first.ModelName, first.ModelVersion, first.OperationName));
    }

    [Fact]
    public async Task ExecuteAsync_ContextCarriesModelVersionOperationAndToken()
    {
        using var cancellation = new CancellationTokenSource();
        InferenceContext? seen = null;
        (string, string, string, CancellationToken, int, bool) snapshot = default;
        var pipeline = InferencePipeline.For<int, int>("fraud", "3.2.0")
            .WithOperation("score")
            .UseRetry(new RetryOptions
            {
                BaseDelay = TimeSpan.Zero,
                OnRetry = args =>
                {
                    seen = args.Context;
                    snapshot = (seen.ModelName, seen.ModelVersion, seen.OperationName, seen.CancellationToken, seen.AttemptNumber, seen.IsSynchronous);
                    return default;
                },
            })
            .Build(new FlakyModel(new TimeoutException()).InvokeAsync);

        await pipeline.ExecuteAsync(1, cancellation.Token);

        Assert.Equal(("fraud", "3.2.0", "score", cancellation.Token, 1, false), snapshot);
    }
}
