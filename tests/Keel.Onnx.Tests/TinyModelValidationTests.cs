using Keel.Onnx.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests;

/// <summary>UseValidateInput(session) on tiny models written by the tests: several inputs, symbolic dimensions, other element types.</summary>
public sealed class TinyModelValidationTests
{
    private int _calls;

    [Fact]
    public void Build_SeveralInputsNoneNamed_RefusedListingTheInputs()
    {
        using var session = new InferenceSession(TinyOnnxModels.TwoInputs());
        var builder = InferencePipeline.For<DenseTensor<float>, int>("add", "1").UseValidateInput(session);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 'input': the model has 2 inputs (a, b), so UseValidateInput needs the name of the one this pipeline takes as inputName, but none was given.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public async Task ExecuteAsync_OneOfSeveralInputsNamed_ValidatesThatInput()
    {
        using var session = new InferenceSession(TinyOnnxModels.TwoInputs());
        var pipeline = InferencePipeline.For<DenseTensor<float>, int>("add", "1").UseValidateInput(session, "b").Build(Count);

        await pipeline.ExecuteAsync(new DenseTensor<float>([3, 4]));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new DenseTensor<float>([3, 5])).AsTask());

        Assert.Equal("b: expected shape [*,4], got [3,5]", Assert.Single(exception.Violations).Message);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_SymbolicBatchDimension_AcceptsAnyBatchAndRunsTheModel()
    {
        using var session = new InferenceSession(TinyOnnxModels.DynamicBatch());
        var pipeline = InferencePipeline.For<DenseTensor<float>, float[]>("relu", "1")
            .UseValidateInput(session, configure: static v => v.Finite())
            .Build((x, _) =>
            {
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", x)]);
                return results[0].AsTensor<float>().ToArray();
            });

        var one = new DenseTensor<float>(new float[] { -1, 2, -3, 4 }, [1, 4]);

        Assert.Equal(new float[] { 0, 2, 0, 4 }, await pipeline.ExecuteAsync(one));
        Assert.Equal(28, (await pipeline.ExecuteAsync(new DenseTensor<float>([7, 4]))).Length);
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new DenseTensor<float>([7, 3])).AsTask());

        Assert.Equal("x: expected shape [*,4], got [7,3]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_ShapeOfTheUser_ReplacesTheModelsShape()
    {
        using var session = new InferenceSession(TinyOnnxModels.DynamicBatch());
        var pipeline = InferencePipeline.For<DenseTensor<float>, int>("relu", "1")
            .UseValidateInput(session, configure: static v => v.Shape(8, 4).MaxElements(32))
            .Build(Count);

        await pipeline.ExecuteAsync(new DenseTensor<float>([8, 4]));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new DenseTensor<float>([7, 4])).AsTask());

        Assert.Equal("x: expected shape [8,4], got [7,4]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_ColumnMajorTensor_CheckedInRowMajorIndices()
    {
        using var session = new InferenceSession(TinyOnnxModels.DynamicBatch());
        var pipeline = InferencePipeline.For<DenseTensor<float>, int>("relu", "1")
            .UseValidateInput(session, configure: static v => v.Within(0, 1))
            .Build(Count);
        var tensor = new DenseTensor<float>([2, 4], reverseStride: true);
        tensor[1, 2] = 9f;

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(tensor).AsTask());

        Assert.Equal("x[1,2]: 9 is outside [0, 1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_DoubleModel_AcceptsDoubleTensorsAndOrtValues()
    {
        using var session = new InferenceSession(TinyOnnxModels.DoubleInput());
        var dense = InferencePipeline.For<DenseTensor<double>, int>("relu", "1").UseValidateInput(session, configure: static v => v.Finite()).Build(Count);
        var ort = InferencePipeline.For<OrtValue, int>("relu", "1").UseValidateInput(session, configure: static v => v.Finite()).Build(static (_, _) => 1);
        using var valid = OrtValue.CreateTensorValueFromMemory(new double[4], [2, 2]);
        using var floats = OrtValue.CreateTensorValueFromMemory(new float[4], [2, 2]);

        Assert.Equal(4, await dense.ExecuteAsync(new DenseTensor<double>([2, 2])));
        Assert.Equal(1, await ort.ExecuteAsync(valid));
        var exception = await Assert.ThrowsAsync<InputValidationException>(() => ort.ExecuteAsync(floats).AsTask());

        Assert.Equal("x: expected element type double, got float", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public void Build_StringModelWithOrtValue_RefusedNamingTheElementType()
    {
        using var session = new InferenceSession(TinyOnnxModels.StringInput());
        var builder = InferencePipeline.For<OrtValue, int>("identity", "1").UseValidateInput(session);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 's': the model's input 's' holds string elements, but Keel.Onnx checks tensors of float, double, sbyte, byte, short, ushort, int, uint, long or ulong.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_StringModelWithFloatTensor_RefusedNamingBothTypes()
    {
        using var session = new InferenceSession(TinyOnnxModels.StringInput());
        var builder = InferencePipeline.For<DenseTensor<float>, int>("identity", "1").UseValidateInput(session);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 's': the model's input 's' expects element type string, but the pipeline's input is DenseTensor<float>.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void UseValidation_SessionNotKept_BuildsAfterTheSessionIsDisposed()
    {
        var session = new InferenceSession(TinyOnnxModels.DynamicBatch());
        var builder = InferencePipeline.For<DenseTensor<float>, int>("relu", "1").UseValidateInput(session);
        session.Dispose();

        var pipeline = builder.Build(Count);

        Assert.Equal(["ValidateInput"], pipeline.Decorators);
    }

    private ValueTask<int> Count<T>(DenseTensor<T> input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new ValueTask<int>((int)input.Length);
    }
}
