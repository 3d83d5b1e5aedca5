using Keel.Generators.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Generators.Tests.Runtime;

public class InterfaceDecoratorTests
{
    // A named profile must be defined in a container (here in configuration); the attribute's values are its lowest layer.
    private static readonly Dictionary<string, string?> FeatureStoreProfile = new() { ["Keel:Retry:feature-store:MaxAttempts"] = "4" };

    [Fact]
    public async Task AddKeelDecorated_ResolvesTheDecoratorAroundTheImplementation()
    {
        using var container = new TestContainer(FeatureStoreProfile, s => s.AddKeelDecorated<IFeatureStore, FakeFeatureStore>());
        var store = container.Services.GetRequiredService<IFeatureStore>();
        var inner = container.Services.GetRequiredService<FakeFeatureStore>();

        await store.GetFeaturesAsync("a");
        await store.GetFeaturesAsync("a");

        Assert.IsType<FeatureStoreDecorator>(store);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Decorator_UndecoratedMembers_AreForwarded()
    {
        var inner = new FakeFeatureStore();
        IFeatureStore store = new FeatureStoreDecorator(inner);

        store.Reset();

        Assert.Equal("fake", store.Name);
        Assert.Equal(1, inner.Resets);
        var features = await store.GetFeaturesAsync("b");
        Assert.Equal([1f, 1f], features);
    }

    [Fact]
    public async Task Decorator_NamedProfileFromConfiguration_Applies()
    {
        using var container = new TestContainer(
            new Dictionary<string, string?> { ["Keel:Retry:feature-store:MaxAttempts"] = "2" },
            s => s.AddKeelDecorated<IFeatureStore, FakeFeatureStore>());
        var store = container.Services.GetRequiredService<IFeatureStore>();
        var inner = container.Services.GetRequiredService<FakeFeatureStore>();
        inner.FailNext(new TimeoutException(), new TimeoutException());

        await Assert.ThrowsAsync<TimeoutException>(() => container.RunAsync(store.GetFeaturesAsync("c").AsTask()));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public void AddKeelDecorated_WithoutAddKeel_FailsNamingTheFix()
    {
        var services = new ServiceCollection().AddKeelDecorated<IFeatureStore, FakeFeatureStore>();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<IFeatureStore>);

        Assert.Contains("AddKeel()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decorate_InterfaceWithoutAttributes_FailsNamingTheCause()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InferenceDecorators.Decorate<IDisposable>(new MemoryStream()));

        Assert.Contains("No Keel decorator was generated for System.IDisposable", error.Message, StringComparison.Ordinal);
        Assert.False(InferenceDecorators.IsDecorated<IDisposable>());
        Assert.True(InferenceDecorators.IsDecorated<IFeatureStore>());
    }

    [Fact]
    public void AddKeelDecorated_InvalidArguments_AreRejected()
    {
        Assert.Throws<ArgumentNullException>("services", () => ((IServiceCollection)null!).AddKeelDecorated<IFeatureStore, FakeFeatureStore>());
        Assert.Throws<ArgumentNullException>("implementationFactory", () => new ServiceCollection().AddKeelDecorated<IFeatureStore>(null!));
        var error = Assert.Throws<ArgumentOutOfRangeException>("lifetime", () => new ServiceCollection().AddKeelDecorated<IFeatureStore, FakeFeatureStore>((ServiceLifetime)7));
        Assert.Contains("but was 7", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("inner", () => InferenceDecorators.Decorate<IFeatureStore>(null!));
    }
}
