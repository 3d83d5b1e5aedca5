using Keel.MemoryGuard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Generators.Tests.TestSupport;

/// <summary>A container with Keel, fake time and a memory source whose load a test sets.</summary>
internal sealed class TestContainer : IDisposable
{
    public TestContainer(IReadOnlyDictionary<string, string?>? configuration = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var section = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build().GetSection("Keel");
        services.AddKeel(section)
            .ConfigureMemorySampler(o =>
            {
                o.UseBuiltInSources = false;
                o.Sources.Add(Memory);
            });
        configure?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new();

    public SettableMemorySource Memory { get; } = new();

    public ServiceProvider Services { get; }

    public InferencePipelineProvider Pipelines => Services.GetRequiredService<InferencePipelineProvider>();

    public InferencePipelineFactory Factory => Services.GetRequiredService<InferencePipelineFactory>();

    /// <summary>
    /// Advances fake time in one-second steps until <paramref name="call"/> completes (retries wait on it). A retry's
    /// continuation can run on another thread, so after each step the call gets a moment to start its next wait; the
    /// whole run is bounded, so a call that never completes fails the test instead of hanging it.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> call)
    {
        for (var i = 0; i < 120 && !call.IsCompleted; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
    }

    public void Dispose() => Services.Dispose();
}

internal sealed class SettableMemorySource : IMemoryPressureSource
{
    private const long LimitBytes = 1L << 30;

    public double Load { get; set; } = 0.1;

    public string Name => "test";

    public bool TryRead(out MemoryReading reading)
    {
        reading = new MemoryReading(Name, LimitBytes, (long)(LimitBytes * Load));
        return true;
    }
}
