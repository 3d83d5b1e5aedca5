using Keel.Retry;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.DependencyInjection;

public class KeelServiceCollectionExtensionsTests
{
    [Fact]
    public void AddKeel_ConfiguredProfile_BindsEveryOption()
    {
        using var provider = CreateSut(new()
        {
            ["Keel:Retry:feature-store:MaxAttempts"] = "6",
            ["Keel:Retry:feature-store:BaseDelay"] = "00:00:00.200",
            ["Keel:Retry:feature-store:Factor"] = "3",
            ["Keel:Retry:feature-store:MaxDelay"] = "00:00:05",
            ["Keel:Retry:feature-store:Jitter"] = "Decorrelated",
            ["Keel:Retry:feature-store:MaxTotalDuration"] = "00:00:20",
            ["Keel:Retry:feature-store:Budget:MaxTokens"] = "50",
            ["Keel:Retry:feature-store:Budget:TokenRatio"] = "0.5",
        });

        var options = provider.GetRequiredService<IOptionsMonitor<RetryOptions>>().Get("feature-store");

        Assert.Equal(
            (6, TimeSpan.FromMilliseconds(200), 3.0, TimeSpan.FromSeconds(5), RetryJitter.Decorrelated, (TimeSpan?)TimeSpan.FromSeconds(20), 50.0, 0.5),
            (options.MaxAttempts, options.BaseDelay, options.Factor, options.MaxDelay, options.Jitter, options.MaxTotalDuration, options.Budget.MaxTokens, options.Budget.TokenRatio));
    }

    [Fact]
    public void AddKeel_ConfigurationAndCodeDefaults_ConfigurationWins()
    {
        using var provider = CreateSut(
            new() { ["Keel:Retry:feature-store:MaxAttempts"] = "3" },
            keel => keel.ConfigureRetry("feature-store", o =>
            {
                o.MaxAttempts = 5;
                o.Factor = 4;
            }));

        var options = provider.GetRequiredService<IOptionsMonitor<RetryOptions>>().Get("feature-store");

        Assert.Equal((3, 4.0), (options.MaxAttempts, options.Factor));
    }

    [Fact]
    public void AddKeel_InvalidProfileInConfiguration_FailsStartupValidationNamingTheKey()
    {
        using var provider = CreateSut(new()
        {
            ["Keel:Retry:feature-store:MaxAttempts"] = "0",
            ["Keel:Retry:feature-store:Factor"] = "0.5",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            [
                "Keel:Retry:feature-store:MaxAttempts must be at least 1 (1 turns retry off), but was 0.",
                "Keel:Retry:feature-store:Factor must be a finite number of at least 1 (1 keeps the delay constant), but was 0.5.",
            ],
            exception.Failures);
    }

    [Fact]
    public void AddKeel_InvalidCodeDefaults_FailStartupValidation()
    {
        using var provider = CreateSut(new(), keel => keel.ConfigureRetry("llm", o => o.MaxDelay = TimeSpan.FromDays(2)));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("Keel:Retry:llm:MaxDelay must be greater than 00:00:00 and at most 1.00:00:00, but was 2.00:00:00.", Assert.Single(exception.Failures));
    }

    [Fact]
    public void AddKeel_ValidConfiguration_PassesStartupValidation()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:feature-store:MaxAttempts"] = "2" });

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(2, provider.GetRequiredService<IOptionsMonitor<RetryOptions>>().Get("feature-store").MaxAttempts);
    }

    [Fact]
    public async Task UseRetry_Profile_UsesConfiguredAttemptsAndTheContainersClock()
    {
        Inline.RunContinuations();
        var time = new FakeTimeProvider();
        using var provider = CreateSut(
            new()
            {
                ["Keel:Retry:feature-store:MaxAttempts"] = "2",
                ["Keel:Retry:feature-store:Jitter"] = "None",
                ["Keel:Retry:feature-store:BaseDelay"] = "00:00:03",
            },
            keel => keel.Services.AddSingleton<TimeProvider>(time));
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>()
            .For<int, int>("fraud", "3.2.0")
            .UseRetry("feature-store")
            .Build(model.InvokeAsync);

        var call = pipeline.ExecuteAsync(1).AsTask();
        time.Advance(TimeSpan.FromSeconds(2.999));
        Assert.Equal(1, model.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(2, model.Calls);
    }

    [Fact]
    public async Task UseRetry_NoProfile_UsesTheDefaultProfileFromConfiguration()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:Default:MaxAttempts"] = "2", ["Keel:Retry:Default:BaseDelay"] = "00:00:00" });
        var model = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<int, int>("fraud", "3.2.0").UseRetry().Build(model.InvokeAsync);

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(2, model.Calls);
    }

    [Fact]
    public async Task UseRetry_SameProfileInTwoPipelines_SharesOneBudget()
    {
        using var provider = CreateSut(new()
        {
            ["Keel:Retry:feature-store:MaxAttempts"] = "10",
            ["Keel:Retry:feature-store:BaseDelay"] = "00:00:00",
        });
        var factory = provider.GetRequiredService<InferencePipelineFactory>();
        var first = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var second = FlakyModel.AlwaysFailing(() => new TimeoutException());
        var firstPipeline = factory.For<int, int>("fraud", "3.2.0").UseRetry("feature-store").Build(first.InvokeAsync);
        var secondPipeline = factory.For<int, int>("churn", "1.0.0").UseRetry("feature-store").Build(second.InvokeAsync);

        await Assert.ThrowsAsync<TimeoutException>(() => firstPipeline.ExecuteAsync(1).AsTask());
        await Assert.ThrowsAsync<TimeoutException>(() => secondPipeline.ExecuteAsync(1).AsTask());

        Assert.Equal(5, first.Calls); // spends the profile's budget: 10 → 5 tokens
        Assert.Equal(1, second.Calls); // finds it spent: no retry
    }

    [Fact]
    public void InferencePipelineFactory_InvalidProfile_FailsBeforeAnyPipelineIsBuilt()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:feature-store:MaxAttempts"] = "-1" });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<InferencePipelineFactory>());

        Assert.Equal("Keel:Retry:feature-store:MaxAttempts must be at least 1 (1 turns retry off), but was -1.", Assert.Single(exception.Failures));
    }

    [Fact]
    public void ConfigureRetry_BlankProfile_ThrowsNamingTheParameter()
    {
        var keel = new ServiceCollection().AddKeel();

        Assert.Equal("profile", Assert.ThrowsAny<ArgumentException>(() => keel.ConfigureRetry(" ", _ => { })).ParamName);
    }

    private static ServiceProvider CreateSut(Dictionary<string, string?> settings, Action<IKeelBuilder>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var keel = services.AddKeel(configuration.GetSection("Keel"));
        configure?.Invoke(keel);
        return services.BuildServiceProvider();
    }
}
