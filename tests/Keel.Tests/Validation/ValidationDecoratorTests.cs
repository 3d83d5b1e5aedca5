using System.Numerics.Tensors;
using Keel.Tests.TestSupport;
using Keel.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Tests.Validation;

public class ValidationDecoratorTests
{
    private int _calls;

    [Fact]
    public async Task ExecuteAsync_ValidInput_ReachesModel()
    {
        var pipeline = CreateSut<float[]>(v => v.Shape(4).Finite().Within(0, 1).NotEmpty().MaxElements(10));

        Assert.Equal(4, await pipeline.ExecuteAsync([0f, 0.25f, 0.5f, 1f]));
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_WrongShape_RejectedWithExpectedAndActualShape()
    {
        var pipeline = CreateSut<Tensor<float>>(v => v.Shape(1, 224, 224, 3));

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(Tensor.Create(new float[150_528], [1, 3, 224, 224])).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("features: expected shape [1,224,224,3], got [1,3,224,224]", violation.Message);
        Assert.Equal(("features", "shape", "shape [1,224,224,3]", "[1,3,224,224]"), (violation.Parameter, violation.Rule, violation.Expected, violation.Actual));
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_AnyLengthDimension_AcceptsEveryBatchSize()
    {
        var pipeline = CreateSut<float[,]>(v => v.Shape(-1, 2));

        await pipeline.ExecuteAsync(new float[1, 2]);
        await pipeline.ExecuteAsync(new float[7, 2]);
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new float[7, 3]).AsTask());

        Assert.Equal("features: expected shape [*,2], got [7,3]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_NaNAtIndex17_NamesTheIndexAndTheValue()
    {
        var pipeline = CreateSut<float[]>(v => v.Finite());
        var features = new float[64];
        features[17] = float.NaN;

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(features).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("features[17]: NaN is not finite", violation.Message);
        Assert.Equal(("features[17]", "finite", "NaN"), (violation.Parameter, violation.Rule, violation.Actual));
    }

    [Fact]
    public async Task ExecuteAsync_SeveralNonFiniteValues_ReportsFirstAndCountWithoutDumpingTheTensor()
    {
        var pipeline = CreateSut<double[]>(v => v.Finite());
        var features = new double[10_000];
        features[5] = double.PositiveInfinity;
        features[9_000] = double.NaN;
        features[9_001] = double.NegativeInfinity;

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(features).AsTask());

        Assert.Equal("features[5]: Infinity is not finite (3 non-finite values in all)", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_ValueOutsideRange_NamesIndexValueAndRange()
    {
        var pipeline = CreateSut<float[]>(v => v.Within(0, 1));

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([0.5f, 0.1f, 0.9f, 500f]).AsTask());

        Assert.Equal("features[3]: 500 is outside [0, 1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_EmptyInput_RejectedByNotEmpty()
    {
        var pipeline = CreateSut<float[]>(v => v.NotEmpty());

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([]).AsTask());

        Assert.Equal("features: expected at least one element, got none", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_EmptyInputWithElementRules_Passes()
    {
        var pipeline = CreateSut<float[]>(v => v.Finite().Within(0, 1).Expect(0, 1, AnomalyAction.Block));

        Assert.Equal(0, await pipeline.ExecuteAsync([]));
    }

    [Fact]
    public async Task ExecuteAsync_TooManyElements_RejectedWithoutReadingTheData()
    {
        var pipeline = CreateSut<float[]>(v => v.MaxElements(10).Finite().Within(0, 1));
        var features = Enumerable.Repeat(float.NaN, 11).ToArray();

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(features).AsTask());

        // The data is full of NaN, but only the size is reported: the elements were never read.
        Assert.Equal("features: expected at most 10 elements, got 11", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_NullInput_RejectedAsRequired()
    {
        var pipeline = CreateSut<float[]>(v => v.Finite());

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(null!).AsTask());

        Assert.Equal("features: expected a value, got null", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralRulesBroken_OneExceptionListsEveryViolation()
    {
        var pipeline = CreateSut<float[,]>(v => v.Shape(1, 4).Finite().Within(0, 1));
        var features = new float[1, 3] { { float.NaN, 2f, 0.5f } };

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(features).AsTask());

        Assert.Equal(
            [
                "features: expected shape [1,4], got [1,3]",
                "features[0,0]: NaN is not finite",
                "features[0,1]: 2 is outside [0, 1]",
            ],
            exception.Violations.Select(static v => v.Message));
        Assert.Equal(
            "The input is invalid (3 violations): features: expected shape [1,4], got [1,3]; features[0,0]: NaN is not finite; features[0,1]: 2 is outside [0, 1]",
            exception.Message);
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_EveryElementType_RangeChecked()
    {
        await AssertOutsideAsync<double[]>([0.5, 7.5], "features[1]: 7.5 is outside [0, 1]");
        await AssertOutsideAsync<Half[]>([(Half)0.5f, (Half)(-2f)], "features[1]: -2 is outside [0, 1]");
        await AssertOutsideAsync<int[]>([1, 0, 9], "features[2]: 9 is outside [0, 1]");
        await AssertOutsideAsync<long[]>([-4L], "features[0]: -4 is outside [0, 1]");
        await AssertOutsideAsync<byte[]>([0, 1, 200], "features[2]: 200 is outside [0, 1]");
        await AssertOutsideAsync<Memory<float>>(new[] { 0f, 3f }.AsMemory(), "features[1]: 3 is outside [0, 1]");
        await AssertOutsideAsync<ReadOnlyMemory<float>>(new[] { 3f }.AsMemory(), "features[0]: 3 is outside [0, 1]");
        await AssertOutsideAsync<float[,,]>(new float[1, 1, 2] { { { 0f, 3f } } }, "features[0,0,1]: 3 is outside [0, 1]");
        await AssertOutsideAsync<Tensor<float>>(Tensor.Create([0f, 0f, 0f, 3f], [2, 2]), "features[1,1]: 3 is outside [0, 1]");
    }

    [Fact]
    public async Task ExecuteAsync_IntegerInputWithFinite_AlwaysFinite()
    {
        var pipeline = CreateSut<int[]>(v => v.Finite());

        Assert.Equal(3, await pipeline.ExecuteAsync([int.MinValue, 0, int.MaxValue]));
    }

    [Fact]
    public async Task ExecuteAsync_StridedTensorView_ChecksTheViewsOwnElements()
    {
        var source = Tensor.Create([0f, 5f, 0f, 0f, 0f, 0f], [2, 3]);
        var pipeline = CreateSut<Tensor<float>>(v => v.Within(0, 1));

        Assert.Equal(2, await pipeline.ExecuteAsync(source.Slice(.., 2..3)));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(source.Slice(.., 1..2)).AsTask());

        Assert.Equal("features[0,0]: 5 is outside [0, 1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_BlockExpectation_Rejects()
    {
        var pipeline = CreateSut<float[]>(v => v.Expect(0, 1, AnomalyAction.Block, feature: 2, featureName: "amount"));

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([9f, 9f, 500f]).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("features[2] (amount): 500 is outside its expected range [0, 1]", violation.Message);
        Assert.Equal("expectation", violation.Rule);
    }

    [Fact]
    public async Task ExecuteAsync_WarnExpectation_LetsThroughAndWarnsWithoutTheValue()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var pipeline = CreateSut<float[,]>(v => v.Expect(0, 1, AnomalyAction.Warn, feature: 1), logs);

        Assert.Equal(4, await pipeline.ExecuteAsync(new float[2, 2] { { 0f, 0.5f }, { 0f, 500f } }));

        var warning = Assert.Single(logs.Entries, static e => e.Level == LogLevel.Warning);
        Assert.Equal("fraud 3.2.0 (predict) let through an unusual input: features[1,1] was not usually within [0, 1].", warning.Message);
        Assert.DoesNotContain("500", warning.Message, StringComparison.Ordinal);
        var trace = Assert.Single(logs.Entries, static e => e.Level == LogLevel.Trace);
        Assert.Contains("500", trace.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ObserveExpectation_LetsThroughWithoutLogging()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var pipeline = CreateSut<float[]>(v => v.Expect(0, 1, AnomalyAction.Observe), logs);

        Assert.Equal(2, await pipeline.ExecuteAsync([500f, -3f]));
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task ExecuteAsync_MustRule_ReportsItsProblem()
    {
        var pipeline = CreateSut<float[]>(v => v.Must("sorted", static f => f.SequenceEqual(f.Order()) ? null : "the values are not sorted"));

        await pipeline.ExecuteAsync([1f, 2f]);
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync([2f, 1f]).AsTask());

        Assert.Equal("features: the values are not sorted", Assert.Single(exception.Violations).Message);
        Assert.Equal("sorted", exception.Violations[0].Rule);
    }

    [Fact]
    public async Task ExecuteAsync_DriftWithWarn_LetsCallsThroughAndWarnsOnce()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var monitor = new DriftMonitor(DriftProfile.Fit(Uniform(seed: 1, count: 2_000, low: 0, high: 1)), new DriftMonitorOptions { WindowSize = 100, MinimumSamples = 100, EvaluationInterval = 10 }, logs.CreateLogger("drift"));
        var pipeline = CreateSut<float[]>(v => v.Drift(monitor, AnomalyAction.Warn), logs);

        foreach (var row in Uniform(seed: 2, count: 300, low: 5, high: 6))
        {
            await pipeline.ExecuteAsync(row);
        }

        Assert.Equal(300, _calls);
        Assert.Equal(2, logs.Entries.Count(static e => e.Level == LogLevel.Warning && e.Message.Contains("has drifted", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExecuteAsync_DriftWithBlock_RejectsWhileAFeatureIsAboveThreshold()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Uniform(seed: 1, count: 2_000, low: 0, high: 1)), new DriftMonitorOptions { WindowSize = 100, MinimumSamples = 100, EvaluationInterval = 10 });
        var pipeline = CreateSut<float[]>(v => v.Drift(monitor, AnomalyAction.Block));
        var shifted = Uniform(seed: 2, count: 100, low: 5, high: 6);

        for (var i = 0; i < 99; i++)
        {
            await pipeline.ExecuteAsync(shifted[i]);
        }

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(shifted[99]).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("drift", violation.Rule);
        Assert.StartsWith("features: expected inputs like the training data (PSI of every feature at most 0.2), got feature 'f0' at PSI ", violation.Message, StringComparison.Ordinal);
        Assert.Equal(99, _calls);
    }

    [Fact]
    public void Build_TensorRulesOnUnsupportedType_RefusedNamingTheRemedy()
    {
        var builder = InferencePipeline.For<string, int>("fraud", "3.2.0").UseValidateInput("text", v => v.NotEmpty());

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (text, _) => text.Length));

        Assert.Equal(
            "ValidateInput cannot apply tensor rules to parameter 'text' of type System.String: they apply to arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T> and Tensor<T> of float, double, Half, int, long or byte. For an ONNX Runtime DenseTensor<T>, start the rules with DenseTensor() (Keel.Onnx); use Must(...) for other types, or ForParameter(...) for one part of a tuple.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_MisusedRules_ListsEveryProblem()
    {
        var builder = InferencePipeline.For<float[], int>("fraud", "3.2.0")
            .UseValidateInput("features", v => v.Within(1, 0).MaxElements(0).Shape(-2).Expect(0, 1, (AnomalyAction)9));

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (f, _) => f.Length));

        Assert.Equal(
            [
                "ValidateInput rule for 'features': Within needs min <= max, neither NaN, but was [1, 0].",
                "ValidateInput rule for 'features': MaxElements must be at least 1, but was 0.",
                "ValidateInput rule for 'features': Shape needs at least one dimension, each a length of 0 or more or -1 for any, but was [-2].",
                "ValidateInput rule for 'features': Expect needs an action of Block, Warn or Observe, but was 9.",
            ],
            exception.Failures);
    }

    [Fact]
    public void Build_DriftOnDoubleInput_Refused()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Uniform(seed: 1, count: 100, low: 0, high: 1)));
        var builder = InferencePipeline.For<double[], int>("fraud", "3.2.0").UseValidateInput("features", v => v.Drift(monitor));

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (f, _) => f.Length));

        Assert.Equal("ValidateInput cannot watch drift of parameter 'features': drift profiles are of float features, but the elements are System.Double.", Assert.Single(exception.Failures));
    }

    [Fact]
    public void UseValidation_NullArguments_ThrowNamingTheParameter()
    {
        var builder = InferencePipeline.For<float[], int>("fraud", "3.2.0");

        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => builder.UseValidateInput(null!)).ParamName);
        Assert.Equal("parameter", Assert.Throws<ArgumentException>(() => builder.UseValidateInput(" ", static _ => { })).ParamName);
    }

    [Fact]
    public void Execute_Synchronous_RejectsInvalidInput()
    {
        var pipeline = InferencePipeline.For<float[], int>("fraud", "3.2.0")
            .UseValidateInput("features", static v => v.Finite())
            .Build((f, _) => ++_calls);

        Assert.Throws<InputValidationException>(() => pipeline.Execute([float.NaN]));
        Assert.Equal(1, pipeline.Execute([1f]));
    }

    private async Task AssertOutsideAsync<TInput>(TInput input, string message)
    {
        var pipeline = CreateSut<TInput>(v => v.Within(0, 1));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(input).AsTask());
        Assert.Equal(message, Assert.Single(exception.Violations).Message);
    }

    private InferencePipeline<TInput, int> CreateSut<TInput>(Action<InputRules<TInput>> rules, ILoggerFactory? logging = null)
    {
        var builder = InferencePipeline.For<TInput, int>("fraud", "3.2.0");
        if (logging is not null)
        {
            builder.WithLoggerFactory(logging);
        }

        return builder.UseValidateInput("features", rules).Build((input, _) =>
        {
            Interlocked.Increment(ref _calls);
            return new ValueTask<int>(ValueDescriptor.For<TInput>() is { } d ? (int)d.GetElementCount(input) : 0);
        });
    }

    internal static List<float[]> Uniform(int seed, int count, float low, float high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => new[] { low + ((high - low) * random.NextSingle()), low + ((high - low) * random.NextSingle()) })];
    }
}
