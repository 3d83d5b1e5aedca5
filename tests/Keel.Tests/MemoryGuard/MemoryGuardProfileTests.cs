using Keel.MemoryGuard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Keel.Tests.MemoryGuard.FakeMemorySource;

namespace Keel.Tests.MemoryGuard;

public class MemoryGuardProfileTests
{
    [Fact]
    public async Task UseMemoryGuard_ProfileFromConfiguration_RejectsAboveItsThresholdWithItsRetryAfter()
    {
        var source = new FakeMemorySource(10 * GB, 7 * GB);
        using var services = CreateServices(source, new()
        {
            ["Keel:MemoryGuard:images:MaxMemoryLoad"] = "0.6",
            ["Keel:MemoryGuard:images:Action"] = "Reject",
            ["Keel:MemoryGuard:images:RetryAfter"] = "00:00:12",
        });
        var factory = services.GetRequiredService<InferencePipelineFactory>();

        var guarded = factory.For<int, int>("images", "1").UseMemoryGuard("images").Build((x, _) => x + 1);
        var relaxed = factory.For<int, int>("images", "1").UseMemoryGuard().Build((x, _) => x + 1);

        var exception = await Assert.ThrowsAsync<MemoryPressureException>(() => guarded.ExecuteAsync(1).AsTask());
        Assert.Equal(TimeSpan.FromSeconds(12), exception.RetryAfter);
        Assert.Equal(0.6, exception.MaxMemoryLoad);
        Assert.Equal(2, await relaxed.ExecuteAsync(1));
        Assert.Same(services.GetRequiredService<MemorySampler>(), services.GetRequiredService<MemorySampler>());
    }

    [Fact]
    public void ValidateOnStart_InvalidProfile_NamesTheConfigurationKey()
    {
        using var services = CreateServices(new FakeMemorySource(10 * GB, GB), new()
        {
            ["Keel:MemoryGuard:images:MaxMemoryLoad"] = "90",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<MemoryGuardOptions>>().Get("images"));

        Assert.Equal(["Keel:MemoryGuard:images:MaxMemoryLoad must be greater than 0 and at most 1 (a ratio of the limit, 0.90 for 90 %), but was 90."], exception.Failures);
    }

    [Fact]
    public void ConfigureMemorySampler_InvalidInterval_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddKeel().ConfigureMemorySampler(o => o.SampleInterval = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<MemorySampler>());

        Assert.Equal(["Keel:MemorySampler:SampleInterval must be between 00:00:00.0010000 and 00:01:00, but was 00:00:00."], exception.Failures);
    }

    [Fact]
    public void UseMemoryGuard_NamedProfileWithoutContainer_ValidatesThePipelinesOwnValues()
    {
        var builder = InferencePipeline.For<int, int>("fraud", "3.2.0").UseMemoryGuard("images", o => o.MaxMemoryLoad = 2);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build((x, _) => x));

        Assert.Equal(
            "Keel:MemoryGuard:images:MaxMemoryLoad must be greater than 0 and at most 1 (a ratio of the limit, 0.90 for 90 %), but was 2.",
            exception.Failures.Single());
    }

    private static ServiceProvider CreateServices(FakeMemorySource source, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddKeel(configuration.GetSection("Keel")).ConfigureMemorySampler(o =>
        {
            o.UseBuiltInSources = false;
            o.Sources.Add(source);
        });
        return services.BuildServiceProvider();
    }
}
