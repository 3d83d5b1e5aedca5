using System.Collections.Immutable;
using System.ComponentModel;
using FsCheck;
using FsCheck.Fluent;
using Keel.Caching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Caching;

/// <summary>Every result the cache hands out is safe to change, or its type is refused when the pipeline is built.</summary>
public class ResultCopierTests
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    [Fact]
    public async Task ExecuteAsync_JaggedArrayResult_CallerChangesToAnInnerArrayDoNotReachOtherCallers()
    {
        var calls = 0;
        var pipeline = Build<float[][]>(features => { calls++; return [[features[0], 2f], [3f]]; });

        var first = await pipeline.ExecuteAsync([1f]);
        first[0][0] = 1000f;
        first[1] = [];
        var second = await pipeline.ExecuteAsync([1f]);

        Assert.Equal(1, calls);
        Assert.Equal([[1f, 2f], [3f]], second);
    }

    [Fact]
    public void Copy_RandomJaggedArrays_ChangingEveryElementOfTheCopyLeavesTheOriginal()
    {
        var jagged = Gen.ArrayOf(Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-100, 100))));
        var copier = ResultCopier.For<int[][][]>()!;

        Check.One(Thousand, Prop.ForAll(jagged.ToArbitrary(), original =>
        {
            var snapshot = original.Select(static a => a.Select(static b => b.ToArray()).ToArray()).ToArray();
            var copy = copier.Copy(original);
            foreach (var middle in copy)
            {
                foreach (var inner in middle)
                {
                    Array.Fill(inner, 7);
                }

                Array.Fill(middle, null);
            }

            Array.Fill(copy, null);
            return original.Length == snapshot.Length
                && original.Zip(snapshot).All(static p => p.First.Length == p.Second.Length && p.First.Zip(p.Second).All(static q => q.First.SequenceEqual(q.Second)));
        }));
    }

    [Fact]
    public void Build_MutableResultTypes_RefusedNamingTheRemedies()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Build<List<float>>(static f => [.. f]));

        Assert.Equal(
            "CacheResult cannot hand out cached results of type System.Collections.Generic.List`1[System.Single] safely: a caller could change what every later caller is served. Return an immutable type (a sealed record marked [System.ComponentModel.ImmutableObject(true)], an ImmutableArray<T>, a numeric array), or register a copier at start-up with ResultCopier.Register(ResultCopier.Create<List`1>(value => /* a deep copy */)), or ResultCopier.Register(ResultCopier.Immutable<List`1>()) if its instances never change.",
            Assert.Single(exception.Failures));
        Assert.Throws<OptionsValidationException>(() => Build<Unmarked>(static _ => new Unmarked()));
        Assert.Throws<OptionsValidationException>(() => Build<UnsealedMarked>(static _ => new UnsealedMarked()));
        Assert.Throws<OptionsValidationException>(() => Build<List<float>[]>(static _ => []));
        Assert.Throws<OptionsValidationException>(() => Build<(float, float[])>(static _ => (1f, [])));
        Assert.Throws<OptionsValidationException>(() => Build<ReadOnlyMemory<float>>(static _ => default));
    }

    [Fact]
    public void For_ImmutableTypes_HandsOutTheSameInstance()
    {
        var marked = new Marked("fraud", 0.9f);
        var immutable = ImmutableArray.Create(1f, 2f);

        Assert.Same(marked, ResultCopier.For<Marked>()!.Copy(marked));
        Assert.Equal(immutable, ResultCopier.For<ImmutableArray<float>>()!.Copy(immutable));
        Assert.Equal((1f, "a", Color.Red), ResultCopier.For<(float, string, Color)>()!.Copy((1f, "a", Color.Red)));
        Assert.Equal(new Point(1, 2), ResultCopier.For<Point>()!.Copy(new Point(1, 2)));
        Assert.NotNull(ResultCopier.For<Tuple<int, string>>());
        Assert.NotNull(ResultCopier.For<float?>());
    }

    [Fact]
    public void For_ArraysOfImmutableElements_CopiesThem()
    {
        var matrix = new float[,] { { 1f, 2f } };
        var names = new[] { "a" };

        var copiedMatrix = ResultCopier.For<float[,]>()!.Copy(matrix);
        var copiedNames = ResultCopier.For<string[]>()!.Copy(names);

        Assert.Equal((false, false), (ReferenceEquals(matrix, copiedMatrix), ReferenceEquals(names, copiedNames)));
        Assert.Equal(matrix, copiedMatrix);
        Assert.Equal(names, copiedNames);
    }

    [Fact]
    public async Task ExecuteAsync_RegisteredCopier_HandsOutItsCopies()
    {
        ResultCopier.Register(ResultCopier.Create<Basket>(static basket => new Basket { Items = [.. basket.Items] }));
        var pipeline = Build<Basket>(static f => new Basket { Items = [.. f] });

        var first = await pipeline.ExecuteAsync([1f]);
        first.Items.Add(99f);
        var second = await pipeline.ExecuteAsync([1f]);

        Assert.Equal([1f], second.Items);
    }

    [Fact]
    public void Register_SecondCopierOfAType_Throws()
    {
        ResultCopier.Register(ResultCopier.Immutable<RegisteredTwice>());

        var exception = Assert.Throws<InvalidOperationException>(() => ResultCopier.Register(ResultCopier.Create<RegisteredTwice>(static r => r)));

        Assert.Equal($"A result copier of {typeof(RegisteredTwice)} is already registered; register one copier per type, once, at start-up.", exception.Message);
    }

    private static InferencePipeline<float[], TResult> Build<TResult>(Func<float[], TResult> model) =>
        InferencePipeline.For<float[], TResult>(CacheDecoratorTests.NewModelName(), "1")
            .WithTimeProvider(new FakeTimeProvider())
            .UseCacheResult()
            .Build((features, _) => model(features));

    public enum Color
    {
        Red,
    }

    public readonly record struct Point(int X, int Y);

    [ImmutableObject(true)]
    public sealed record Marked(string Label, float Score);

    [ImmutableObject(true)]
    public record UnsealedMarked;

    public sealed record Unmarked;

    public sealed class Basket
    {
        public List<float> Items { get; init; } = [];
    }

    public sealed class RegisteredTwice;
}
