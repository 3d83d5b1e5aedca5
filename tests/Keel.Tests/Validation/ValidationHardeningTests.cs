using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using FsCheck;
using FsCheck.Fluent;
using Keel.Tests.TestSupport;
using Keel.Validation;
using Microsoft.Extensions.Logging;

namespace Keel.Tests.Validation;

/// <summary>
/// Inputs crafted the way an attacker or an unlucky client would send them: any rank, shape, element type and size
/// is either accepted or refused with <see cref="InputValidationException"/>; ranges compare in the element's own
/// type; refused inputs never feed drift; logs above Trace and span statuses never quote input values.
/// </summary>
[Collection(KeelActivitySourceCollection.Name)]
public class ValidationHardeningTests
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    [Fact]
    public void AnyRankShapeTypeAndSize_OnlyEverInputValidationException()
    {
        var rules = from shape in Gen.Choose(0, 12).SelectMany(static rank => Gen.ArrayOf(Gen.Choose(-1, 3), rank))
                    from flags in Gen.ArrayOf(Gen.Elements(false, true), 5)
                    from min in Gen.Choose(-5, 5)
                    from width in Gen.Choose(0, 5)
                    from maxElements in Gen.Choose(1, 50)
                    select (Action<InputRules<Tensor<float>>>)(v =>
                    {
                        if (flags[0] && shape.Length > 0)
                        {
                            v.Shape(shape);
                        }

                        if (flags[1])
                        {
                            v.Finite();
                        }

                        if (flags[2])
                        {
                            v.Within(min, min + width);
                        }

                        if (flags[3])
                        {
                            v.NotEmpty();
                        }

                        if (flags[4])
                        {
                            v.MaxElements(maxElements);
                        }
                    });
        var cases = from rank in Gen.Frequency((4, Gen.Choose(1, 12)), (1, Gen.Choose(13, 200)))
                    from drawn in Gen.ArrayOf(Gen.Frequency((6, Gen.Choose(1, 2)), (1, Gen.Choose(0, 4))), rank)
                    let lengths = AtMost(drawn, 4_096)
                    from broadcast in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
                    from type in Gen.Choose(0, 5)
                    from rule in rules
                    from value in Gen.Elements(0.0, 0.5, -3.0, 7.0, double.NaN, double.PositiveInfinity, 1e30)
                    select (Lengths: lengths, Broadcast: broadcast, Type: type, Rules: rule, Value: value);

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c => c.Type switch
        {
            0 => OnlyValidationExceptions<float>(c.Lengths, c.Broadcast, c.Rules, c.Value),
            1 => OnlyValidationExceptions<double>(c.Lengths, c.Broadcast, c.Rules, c.Value),
            2 => OnlyValidationExceptions<Half>(c.Lengths, c.Broadcast, c.Rules, c.Value),
            3 => OnlyValidationExceptions<int>(c.Lengths, c.Broadcast, c.Rules, c.Value),
            4 => OnlyValidationExceptions<long>(c.Lengths, c.Broadcast, c.Rules, c.Value),
            _ => OnlyValidationExceptions<byte>(c.Lengths, c.Broadcast, c.Rules, c.Value),
        }));
    }

    [Fact]
    public async Task ExecuteAsync_TensorOfRankNine_AShapeViolationNotNotSupportedException()
    {
        var pipeline = CreateSut<Tensor<float>>(static v => v.Shape(1, 3));

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(Tensor.Create(new float[1], [1, 1, 1, 1, 1, 1, 1, 1, 1])).AsTask());

        Assert.Equal("features: expected shape [1,3], got [1,1,1,1,1,1,1,1,1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_BroadcastViewLargerThanAnyArray_RefusedWithoutReadingIt()
    {
        var pipeline = CreateSut<Tensor<float>>(static v => v.Finite());
        var huge = Tensor.Create(new float[1], [100_000, 100_000], [0, 0]);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(huge).AsTask());

        Assert.Equal("max-elements", Assert.Single(exception.Violations).Rule);
    }

    [Fact]
    public async Task ExecuteAsync_LongAboveTwoToThe53_ComparedAsLong()
    {
        var pipeline = CreateSut<long[]>(static v => v.Within(0, 9007199254740992));

        Assert.Equal(1, await pipeline.ExecuteAsync([9007199254740992]));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([9007199254740993]).AsTask());

        Assert.Equal("features[0]: 9007199254740993 is outside [0, 9007199254740992]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_FloatBoundaryOfADoubleRange_ComparedAsFloatAndPasses()
    {
        var pipeline = CreateSut<float[]>(static v => v.Within(0, 0.1));

        Assert.Equal(2, await pipeline.ExecuteAsync([0f, 0.1f]));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(0.1f) + 1)]).AsTask());

        // What was compared: the next float above 0.1f against the bound as a float.
        Assert.Equal("features[0]: 0.10000001 is outside [0, 0.1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_IntegersUnderAFractionalRange_TheSameIntegersPassAsWithExactComparison()
    {
        var pipeline = CreateSut<int[]>(static v => v.Within(-0.5, 2.5).Expect(0.5, 1e300, AnomalyAction.Block));

        Assert.Equal(2, await pipeline.ExecuteAsync([1, 2]));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([0, 3]).AsTask());

        Assert.Equal(["features[1]: 3 is outside [0, 2]", "features[0]: 0 is outside its expected range [1, 2147483647]"], exception.Violations.Select(static v => v.Message));
    }

    [Fact]
    public void RandomValuesAndBounds_ElementTypeComparison_AgreesWithExactArithmetic()
    {
        var small = from min in Gen.Choose(-1_000, 1_000)
                    from width in Gen.Choose(0, 2_000)
                    from value in Gen.Choose(-3_000, 3_000)
                    select (Min: min / 10.0, Max: (min + width) / 10.0, Value: (long)value);
        // Around 2^53, where a long compared as a double is rounded: 2^53 + 1 would pass a bound of 2^53.
        var large = from max in Gen.Elements(9007199254740992.0, 18014398509481984.0, 4611686018427387904.0)
                    from below in Gen.Choose(0, 1_000)
                    from offset in Gen.Choose(-3, 3)
                    select (Min: max - (below * 4.0), Max: max, Value: (long)max + offset);
        var cases = Gen.OneOf(small, large);

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c =>
        {
            // Exact: an integer is at or above a real bound exactly when it is at or above its ceiling (and
            // BigInteger holds an integral double exactly, where decimal keeps only 15 digits).
            var low = new BigInteger(Math.Ceiling(c.Min));
            var high = new BigInteger(Math.Floor(c.Max));
            if (low > high)
            {
                // A range that holds no integer is refused when the pipeline is built, naming what was compared.
                var refused = Assert.Throws<OptionsValidationException>(() => CreateSut<long[]>(v => v.Within(c.Min, c.Max)));
                return Assert.Single(refused.Failures).Contains("holds no Int64 value", StringComparison.Ordinal);
            }

            var probe = CreateSut<long[]>(v => v.Within(c.Min, c.Max));
            var value = new BigInteger(c.Value);
            return Passes(probe, [c.Value]) == (value >= low && value <= high);
        }));
    }

    [Fact]
    public async Task ExecuteAsync_ThousandRefusedRequests_DoNotFeedDriftSoLegitimateCallsStillPass()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(ValidationDecoratorTests.Uniform(seed: 1, count: 2_000, low: 0, high: 1)), new DriftMonitorOptions { WindowSize = 100, MinimumSamples = 100, EvaluationInterval = 10 });
        var pipeline = CreateSut<float[]>(v => v.Within(0, 1).Drift(monitor, AnomalyAction.Block));
        var refused = ValidationDecoratorTests.Uniform(seed: 2, count: 1_000, low: 5, high: 6);
        var legitimate = ValidationDecoratorTests.Uniform(seed: 3, count: 200, low: 0, high: 1);

        foreach (var input in refused)
        {
            await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(input).AsTask());
        }

        foreach (var input in legitimate)
        {
            Assert.Equal(input.Length, await pipeline.ExecuteAsync(input));
        }

        Assert.All(monitor.GetDrift(), static d => Assert.Equal(100, d.WindowCount));
    }

    [Fact]
    public async Task ExecuteAsync_RefusedValues_NeverInLogsAboveTraceNorInTheSpanStatus()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var model = "hardening-" + Guid.NewGuid().ToString("N")[..8];
        using var spans = new SpanRecorder(model);
        var transaction = ObjectValidator.Create<float[]>(static o => o.Property("Card", static f => f.Length == 3 ? "4111 1111 1111 1111" : null, new RangeAttribute(0, 100)));
        var pipeline = InferencePipeline.For<float[], int>(model, "1.0").WithLoggerFactory(logs)
            .UseMonitor()
            .UseValidateInput("features", v => v.Within(0, 1).Expect(0, 1, AnomalyAction.Warn).Object(transaction))
            .Build(static (f, _) => ValueTask.FromResult(f.Length));

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([0.5f, 987654.25f, 0.25f]).AsTask());

        Assert.Contains("987654.25", exception.Message, StringComparison.Ordinal); // the caller's own 422 body keeps it
        Assert.Equal("The input is invalid (2 violations): features[1] broke rule 'range'; features.Card broke rule 'range'.", exception.Description);
        Assert.All(logs.Entries.Where(static e => e.Level > LogLevel.Trace), static e =>
        {
            Assert.DoesNotContain("987654", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("4111", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains(logs.Entries, static e => e.EventId.Id == 4002 && e.Message.Contains("features[1] broke rule 'range'", StringComparison.Ordinal));
        var span = Assert.Single(spans.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(exception.Description, span.StatusDescription);
    }

    private static Property OnlyValidationExceptions<T>(int[] lengths, bool broadcast, Action<InputRules<Tensor<float>>> rules, double value)
        where T : unmanaged, INumber<T>
    {
        // The same rules on every element type: declared against Tensor<float>, replayed against Tensor<T>.
        var pipeline = InferencePipeline.For<Tensor<T>, int>("fuzz", "1").UseValidateInput("features", v => Replay(rules, v)).Build(static (_, _) => ValueTask.FromResult(1));
        var nints = lengths.Select(static l => (nint)l).ToArray();
        var count = lengths.Aggregate(1L, static (a, l) => a * l);
        var tensor = broadcast
            ? Tensor.Create(new T[] { T.CreateSaturating(value) }, nints.Select(static (l, i) => i < 2 ? l * 50_000 : l).ToArray(), new nint[nints.Length])
            : Tensor.Create(Enumerable.Repeat(T.CreateSaturating(value), (int)count).ToArray(), nints);
        try
        {
            pipeline.Execute(tensor);
            return true.ToProperty();
        }
        catch (InputValidationException)
        {
            return true.ToProperty();
        }
        catch (Exception exception)
        {
            return false.Label($"{typeof(T).Name} tensor of rank {lengths.Length} [{string.Join(',', lengths)}]{(broadcast ? " broadcast" : string.Empty)} threw {exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>Keeps the dense tensors small: dimensions past the element budget become 1.</summary>
    private static int[] AtMost(int[] lengths, int budget)
    {
        var result = (int[])lengths.Clone();
        long count = 1;
        for (var i = 0; i < result.Length; i++)
        {
            // A zero length does not make the others free: the tensor's strides are products of the later lengths.
            if (count * Math.Max(1, result[i]) > budget)
            {
                result[i] = 1;
            }

            count *= Math.Max(1, result[i]);
        }

        return result;
    }

    private static void Replay<TInput>(Action<InputRules<Tensor<float>>> rules, InputRules<TInput> target)
    {
        var recorded = new InputRules<Tensor<float>>("features");
        rules(recorded);
        var tensor = recorded.Tensor;
        if (tensor.Shape is { } shape)
        {
            target.Shape(shape);
        }

        if (tensor.Finite)
        {
            target.Finite();
        }

        if (tensor.Within is var (min, max))
        {
            target.Within(min, max);
        }

        if (tensor.NotEmpty)
        {
            target.NotEmpty();
        }

        if (tensor.MaxElements is { } maxElements)
        {
            target.MaxElements(maxElements);
        }
    }

    private static bool Passes<TInput>(InferencePipeline<TInput, int> pipeline, TInput input)
    {
        try
        {
            pipeline.Execute(input);
            return true;
        }
        catch (InputValidationException)
        {
            return false;
        }
    }

    private static InferencePipeline<TInput, int> CreateSut<TInput>(Action<InputRules<TInput>> rules) =>
        InferencePipeline.For<TInput, int>("fraud", "3.2.0")
            .UseValidateInput("features", rules)
            .Build(static (input, _) => ValueTask.FromResult(input switch
            {
                Array a => a.Length,
                Tensor<float> t => (int)t.FlattenedLength,
                _ => 1,
            }));
}
