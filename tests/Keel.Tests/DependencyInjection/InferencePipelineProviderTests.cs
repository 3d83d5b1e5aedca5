using Microsoft.Extensions.DependencyInjection;

namespace Keel.Tests.DependencyInjection;

public class InferencePipelineProviderTests
{
    [Fact]
    public async Task GetOrAdd_ConcurrentFirstCalls_BuildOncePerContainer()
    {
        using var services = new ServiceCollection().AddKeel().Services.BuildServiceProvider();
        var provider = services.GetRequiredService<InferencePipelineProvider>();
        var builds = 0;

        var pipelines = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => provider.GetOrAdd("fraud/score", keel =>
        {
            Interlocked.Increment(ref builds);
            return keel.For<int, int>("fraud", "3.2.0").Build(static (x, _) => x);
        }))));

        Assert.Equal(1, builds);
        Assert.All(pipelines, p => Assert.Same(pipelines[0], p));
    }

    [Fact]
    public void GetOrAdd_TwoContainers_TwoPipelines()
    {
        using var first = new ServiceCollection().AddKeel().Services.BuildServiceProvider();
        using var second = new ServiceCollection().AddKeel().Services.BuildServiceProvider();

        var a = first.GetRequiredService<InferencePipelineProvider>().GetOrAdd("fraud/score", Build);
        var b = second.GetRequiredService<InferencePipelineProvider>().GetOrAdd("fraud/score", Build);

        Assert.NotSame(a, b);
    }

    [Fact]
    public void GetOrAdd_SameKeyOtherType_ThrowsNamingBothTypes()
    {
        using var services = new ServiceCollection().AddKeel().Services.BuildServiceProvider();
        var provider = services.GetRequiredService<InferencePipelineProvider>();
        provider.GetOrAdd("fraud/score", Build);

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetOrAdd("fraud/score", static keel => keel.For<string, int>("fraud", "3.2.0").Build(static (x, _) => x.Length)));

        Assert.Contains("InferencePipeline`2[System.Int32,System.Int32]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("InferencePipeline`2[System.String,System.Int32]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOrAdd_BuildThrows_NextCallBuildsAgain()
    {
        var provider = new ServiceCollection().AddKeel().Services.BuildServiceProvider().GetRequiredService<InferencePipelineProvider>();
        var attempts = 0;

        Assert.Throws<InvalidOperationException>(() => provider.GetOrAdd<InferencePipeline<int, int>>("flaky", _ => ++attempts == 1 ? throw new InvalidOperationException("first build fails") : Build(_)));
        var pipeline = provider.GetOrAdd<InferencePipeline<int, int>>("flaky", _ => ++attempts == 1 ? throw new InvalidOperationException() : Build(_));

        Assert.Equal((2, 3), (attempts, pipeline.Execute(3)));
    }

    [Fact]
    public void GetOrAdd_AfterTheContainerIsDisposed_Throws()
    {
        var services = new ServiceCollection().AddKeel().Services.BuildServiceProvider();
        var provider = services.GetRequiredService<InferencePipelineProvider>();

        services.Dispose();

        Assert.Throws<ObjectDisposedException>(() => provider.GetOrAdd("fraud/score", Build));
    }

    [Fact]
    public void GetOrAdd_InvalidArguments_ThrowNamingTheParameter()
    {
        var provider = InferencePipelineProvider.Standalone;

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => provider.GetOrAdd(null!, Build)).ParamName);
        Assert.Equal("key", Assert.ThrowsAny<ArgumentException>(() => provider.GetOrAdd(" ", Build)).ParamName);
        Assert.Equal("build", Assert.Throws<ArgumentNullException>(() => provider.GetOrAdd<InferencePipeline<int, int>>("standalone/" + Guid.NewGuid(), null!)).ParamName);
    }

    private static InferencePipeline<int, int> Build(InferencePipelineFactory keel) => keel.For<int, int>("fraud", "3.2.0").Build(static (x, _) => x);
}
