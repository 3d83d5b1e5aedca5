using Keel.Monitoring;
using Keel.Profiles;
using Keel.Retry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keel.Tests.Profiles;

/// <summary>One profile mechanism for every decorator: three layers, loud misconfiguration, one exception.</summary>
public class ProfileMechanismTests
{
    [Fact]
    public void Create_ThreeLayers_AttributeValuesThenCodeThenConfigurationThenPostConfigure()
    {
        using var provider = CreateSut(
            new() { ["Keel:Retry:feature-store:MaxAttempts"] = "7" },
            services => services.PostConfigure<RetryOptions>("feature-store", static o => o.MaxDelay = TimeSpan.FromSeconds(9)),
            keel => keel.ConfigureRetry("feature-store", static o =>
            {
                o.MaxAttempts = 6;
                o.Factor = 3;
            }));
        var factory = (KeelOptionsFactory<RetryOptions>)provider.GetRequiredService<IOptionsFactory<RetryOptions>>();

        var options = factory.Create("feature-store", static o =>
        {
            o.MaxAttempts = 5;
            o.Factor = 1.5;
            o.BaseDelay = TimeSpan.FromSeconds(0.2);
            o.MaxDelay = TimeSpan.FromSeconds(20);
        });

        // Attribute values < code < configuration, and the user's PostConfigure (registered before AddKeel) runs last.
        Assert.Equal((7, 3.0, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(9)), (options.MaxAttempts, options.Factor, options.BaseDelay, options.MaxDelay));
    }

    [Fact]
    public void InferencePipelineFactory_MisspeltOptionKey_RefusedNamingTheKey()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:feature-store:MaxAtempts"] = "5" });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<InferencePipelineFactory>());

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Keel:Retry:feature-store:MaxAtempts is not a Keel option (a misspelt key?); the options of this section are MaxAttempts, BaseDelay,", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void InferencePipelineFactory_MisspeltSection_RefusedListingTheSections()
    {
        using var provider = CreateSut(new() { ["Keel:Retyr:feature-store:MaxAttempts"] = "5" });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<InferencePipelineFactory>());

        Assert.Equal("Keel:Retyr is not a Keel section (a misspelt name?); the sections are CacheResult, MemoryGuard, Monitor, Retry.", Assert.Single(exception.Failures));
    }

    [Fact]
    public void InferencePipelineFactory_SeveralInvalidProfiles_OneExceptionListingEvery()
    {
        using var provider = CreateSut(new()
        {
            ["Keel:Retry:feature-store:MaxAttempts"] = "0",
            ["Keel:CacheResult:embeddings:MaxEntries"] = "1",
            ["Keel:MemoryGuard:Default:MaxMemoryLoad"] = "1.5",
            ["Keel:Monitor:scoring:RecordSizes"] = "true",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<InferencePipelineFactory>());

        Assert.Equal(3, exception.Failures.Count());
        Assert.Contains(exception.Failures, static f => f.StartsWith("Keel:Retry:feature-store:MaxAttempts must be at least 1", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, static f => f.StartsWith("Keel:CacheResult:embeddings:MaxEntries must be between 3", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, static f => f.StartsWith("Keel:MemoryGuard:Default:MaxMemoryLoad must be greater than 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ProfileNothingDefines_ErrorListsTheDefinedProfiles()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:feature-store:MaxAttempts"] = "5" }, configureKeel: static keel => keel.ConfigureRetry("vector-db", static _ => { }));
        var builder = provider.GetRequiredService<InferencePipelineFactory>().For<int, int>("fraud", "3.2.0").UseRetry("featurestore");

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (x, _) => x));

        Assert.Equal(
            "Retry profile 'featurestore' is not defined: the defined Retry profiles are Default, feature-store, vector-db. Define it in code with ConfigureRetry(\"featurestore\", …) or in configuration under Keel:Retry:featurestore, or use the Default profile.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_ProfileNameInAnotherCase_FindsTheConfiguredProfile()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:Feature-Store:MaxAttempts"] = "1" });

        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<int, int>("fraud", "3.2.0").UseRetry("feature-store").Build(static (x, _) => x);

        Assert.Empty(pipeline.Decorators); // MaxAttempts 1 from configuration turns retry off
    }

    [Fact]
    public void Build_PipelineValuesUnderConfiguration_ConfigurationWins()
    {
        using var provider = CreateSut(new() { ["Keel:Retry:feature-store:MaxAttempts"] = "1" });

        var pipeline = provider.GetRequiredService<InferencePipelineFactory>().For<int, int>("fraud", "3.2.0")
            .UseRetry("feature-store", static o => o.MaxAttempts = 5)
            .Build(static (x, _) => x);

        Assert.Empty(pipeline.Decorators);
    }

    [Fact]
    public void Build_MonitorProfileFromConfiguration_Applied()
    {
        using var provider = CreateSut(new() { ["Keel:Monitor:scoring:RecordPredictions"] = "true" });

        var exception = Assert.Throws<OptionsValidationException>(() =>
            provider.GetRequiredService<InferencePipelineFactory>().For<float[], float[]>("fraud", "3.2.0").UseMonitor("scoring").Build(static (x, _) => x));

        Assert.StartsWith("Keel:Monitor:scoring:RecordPredictions needs a numeric scalar result", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationKeys_EveryOptionKeyOfEveryProfile_IsAPublicSettableProperty()
    {
        AssertKeysMatch(RetryDefaults.Profile.Keys, typeof(RetryOptions));
        AssertKeysMatch(Keel.Caching.CacheResultDefaults.Profile.Keys, typeof(Keel.Caching.CacheResultOptions));
        AssertKeysMatch(Keel.MemoryGuard.MemoryGuardDefaults.Profile.Keys, typeof(Keel.MemoryGuard.MemoryGuardOptions));
        AssertKeysMatch(MonitorDefaults.Profile.Keys, typeof(MonitorOptions));
    }

    [Theory]
    [InlineData("feature:store")]
    [InlineData("feature store")]
    [InlineData("")]
    public void UseRetry_ProfileThatIsNoConfigurationKey_ThrowsNamingTheParameter(string profile)
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0");

        Assert.Equal("profile", Assert.ThrowsAny<ArgumentException>(() => builder.UseRetry(profile)).ParamName);
        Assert.Equal("profile", Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddKeel().ConfigureRetry(profile, static _ => { })).ParamName);
    }

    // Bindable keys are the public settable properties that are not delegates, with nested options flattened.
    private static void AssertKeysMatch(IReadOnlyList<string> keys, Type options)
    {
        var expected = new List<string>();
        foreach (var property in options.GetProperties())
        {
            if (property.SetMethod is not { IsPublic: true } || typeof(Delegate).IsAssignableFrom(property.PropertyType))
            {
                continue;
            }

            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsGenericType)
            {
                expected.AddRange(property.PropertyType.GetProperties().Where(static p => p.SetMethod is { IsPublic: true }).Select(p => $"{property.Name}:{p.Name}"));
            }
            else
            {
                expected.Add(property.PropertyType.IsGenericType && property.PropertyType != typeof(TimeSpan?) ? property.Name + ":*" : property.Name);
            }
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    private static ServiceProvider CreateSut(Dictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null, Action<IKeelBuilder>? configureKeel = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        var keel = services.AddKeel(configuration.GetSection("Keel"));
        configureKeel?.Invoke(keel);
        return services.BuildServiceProvider();
    }
}
