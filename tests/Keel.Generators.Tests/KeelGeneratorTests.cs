using Keel.Generators.Tests.TestSupport;

namespace Keel.Generators.Tests;

public class KeelGeneratorTests
{
    private const string Usings = "using Keel;\n\n";

    [Fact]
    public void Run_ProjectWithoutKeelAttributes_GeneratesNothing()
    {
        var run = GeneratorHarness.Run("""
            namespace Plain;

            public sealed partial class Scorer
            {
                [System.Obsolete]
                public partial float Score(float[] features);

                public partial float Score(float[] features) => features[0];
            }

            public interface IStore
            {
                ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);
            }
            """).AssertNoDiagnostics().AssertCompiles();

        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Emit_AttributesInAnyOrder_DecoratorsInCanonicalOrder()
    {
        const string Body = """
                public partial ValueTask<float> ScoreAsync([Finite] float[] features, CancellationToken cancellationToken);

                private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => default;
            }
            """;
        var canonical = GeneratorHarness.Run(Usings + "public sealed partial class M\n{\n    [Monitor, ValidateInput, CacheResult, MemoryGuard, Retry, Resilience(\"breaker\")]\n" + Body).AssertCompiles();
        var reversed = GeneratorHarness.Run(Usings + "public sealed partial class M\n{\n    [Resilience(\"breaker\"), Retry, MemoryGuard, CacheResult, ValidateInput, Monitor]\n" + Body).AssertCompiles();
        var split = GeneratorHarness.Run(Usings + "public sealed partial class M\n{\n    [Retry]\n    [CacheResult, Monitor]\n    [Resilience(\"breaker\")]\n    [ValidateInput, MemoryGuard]\n" + Body).AssertCompiles();

        var text = Assert.Single(canonical.Sources).Text;
        Assert.Equal(text, Assert.Single(reversed.Sources).Text);
        Assert.Equal(text, Assert.Single(split.Sources).Text);
        var order = new[] { ".UseMonitor(", ".UseValidateInput(", ".UseCacheResult(", ".UseMemoryGuard(", ".UseRetry(", ".UseResilience(" }
            .Select(call => text.IndexOf(call, StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void HintNames_EachDecoratedType_OneStableFileNamedAfterIt()
    {
        const string Source = Usings + """
            namespace Shop.Models;

            public sealed partial class Outer
            {
                public sealed partial class Scorer
                {
                    [Monitor]
                    public partial float Score(float[] features);

                    [Retry]
                    public partial float Rescore(float[] features, CancellationToken cancellationToken);

                    private float ScoreCore(float[] features) => 0;

                    private float RescoreCore(float[] features, CancellationToken cancellationToken) => 0;
                }
            }

            public interface IStore
            {
                [Monitor]
                ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);
            }
            """;

        var first = GeneratorHarness.Run(Source).AssertCompiles();
        var second = GeneratorHarness.Run(Source);

        Assert.Equal(["Shop.Models.IStore.Keel.g.cs", "Shop.Models.Outer.Scorer.Keel.g.cs"], first.Sources.Select(static s => s.HintName));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void Emit_DecoratedOverloads_Compile()
    {
        GeneratorHarness.Run(Usings + """
            public sealed partial class M
            {
                [Monitor]
                public partial float Score(float[] features);

                [Monitor]
                public partial float Score(double[] features);

                private float ScoreCore(float[] features) => 0;

                private float ScoreCore(double[] features) => 0;
            }
            """).AssertNoDiagnostics().AssertCompiles();
    }

    [Fact]
    public void Emit_DecoratedOverloadsInAnInterface_Compile()
    {
        GeneratorHarness.Run(Usings + """
            public interface IStore
            {
                [Monitor]
                ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);

                [Monitor]
                ValueTask<float[]> GetAsync(string id, int version, CancellationToken cancellationToken);
            }
            """).AssertNoDiagnostics().AssertCompiles();
    }

    [Fact]
    public void Emit_InterfaceInheritingDecoratedMethods_ImplementsEachOnItsInterface()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Stores;

            public interface IReader
            {
                [Retry]
                ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);
            }

            public interface IStore : IReader
            {
                [Monitor]
                ValueTask PutAsync(string id, float[] vector, CancellationToken cancellationToken);
            }
            """).AssertNoDiagnostics().AssertCompiles();

        var store = run.Sources.Single(static s => s.HintName == "Stores.IStore.Keel.g.cs").Text;
        Assert.Contains("global::Stores.IReader.GetAsync(string id", store, StringComparison.Ordinal);
        Assert.Contains("global::Stores.IStore.PutAsync(string id", store, StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_GlobalNamespace_CompilesWithoutANamespaceDeclaration()
    {
        var run = GeneratorHarness.Run(Usings + """
            public sealed partial class M
            {
                [Monitor]
                public partial float Score(float[] features);

                private float ScoreCore(float[] features) => 0;
            }
            """).AssertNoDiagnostics().AssertCompiles();

        Assert.DoesNotContain("namespace", Assert.Single(run.Sources).Text, StringComparison.Ordinal);
    }
}
