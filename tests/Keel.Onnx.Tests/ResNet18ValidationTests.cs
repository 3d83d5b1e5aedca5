using Keel.Onnx.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests;

/// <summary>UseValidateInput(session) against the real ResNet18 model: input Input247, float [1,3,224,224].</summary>
public sealed class ResNet18ValidationTests(ResNet18Fixture resNet) : IClassFixture<ResNet18Fixture>
{
    private readonly InferenceSession _session = resNet.Session;
    private int _calls;

    [Fact]
    public void InputMetadata_ResNet18_IsTheDocumentedInput()
    {
        var input = Assert.Single(_session.InputMetadata);

        Assert.Equal(ResNet18Fixture.InputName, input.Key);
        Assert.Equal(TensorElementType.Float, input.Value.ElementDataType);
        Assert.Equal([1, 3, 224, 224], input.Value.Dimensions);
    }

    [Fact]
    public async Task ExecuteAsync_ValidImage_RunsTheRealModel()
    {
        var pipeline = CreateDenseSut(v => v.Finite().Within(0, 1));

        var embedding = await pipeline.ExecuteAsync(ResNet18Fixture.ValidImage());

        Assert.Equal([1, 512, 1, 1], embedding.Dimensions.ToArray());
        Assert.Equal(512, embedding.Length);
        Assert.All(embedding.ToArray(), static value => Assert.True(float.IsFinite(value)));
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_ChannelsLastImage_RejectedWithModelShape()
    {
        var pipeline = CreateDenseSut();

        var exception = await Assert.ThrowsAsync<InputValidationException>(() =>
            pipeline.ExecuteAsync(new DenseTensor<float>([1, 224, 224, 3])).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("Input247: expected shape [1,3,224,224], got [1,224,224,3]", violation.Message);
        Assert.Equal(("Input247", "shape"), (violation.Parameter, violation.Rule));
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_NaNPixel_RejectedWithItsIndex()
    {
        var pipeline = CreateDenseSut(v => v.Finite());
        var image = ResNet18Fixture.ValidImage();
        image.Buffer.Span[(2 * 224 * 224) + (5 * 224) + 17] = float.NaN;

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(image).AsTask());

        Assert.Equal("Input247[0,2,5,17]: NaN is not finite", Assert.Single(exception.Violations).Message);
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_WrongShapeAndOutOfRange_ReportsEveryViolationOnce()
    {
        var pipeline = CreateDenseSut(v => v.Within(0, 1));
        var image = new DenseTensor<float>([1, 3, 224, 223]);
        image.Buffer.Span[3] = 500f;

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(image).AsTask());

        Assert.Equal(
            ["Input247: expected shape [1,3,224,224], got [1,3,224,223]", "Input247[0,0,0,3]: 500 is outside [0, 1]"],
            exception.Violations.Select(static v => v.Message));
    }

    [Fact]
    public async Task ExecuteAsync_NullTensor_Rejected()
    {
        var pipeline = CreateDenseSut();

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(null!).AsTask());

        Assert.Equal("Input247: expected a value, got null", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_ValidOrtValue_RunsTheRealModel()
    {
        var pipeline = CreateOrtSut(v => v.Finite().Within(0, 1));
        using var image = OrtValue.CreateTensorValueFromMemory(ResNet18Fixture.ValidImage().Buffer.ToArray(), [1, 3, 224, 224]);

        var embedding = await pipeline.ExecuteAsync(image);

        Assert.Equal(512, embedding.Length);
        Assert.All(embedding, static value => Assert.True(float.IsFinite(value)));
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_OrtValueOfWrongShape_RejectedWithModelShape()
    {
        var pipeline = CreateOrtSut();
        using var image = OrtValue.CreateTensorValueFromMemory(new float[3 * 224 * 224], [1, 224, 224, 3]);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(image).AsTask());

        Assert.Equal("Input247: expected shape [1,3,224,224], got [1,224,224,3]", Assert.Single(exception.Violations).Message);
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_OrtValueOfDoubles_RejectedForItsElementType()
    {
        var pipeline = CreateOrtSut(v => v.Finite());
        using var image = OrtValue.CreateTensorValueFromMemory(new double[3 * 224 * 224], [1, 3, 224, 224]);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(image).AsTask());

        var violation = Assert.Single(exception.Violations);
        Assert.Equal("Input247: expected element type float, got double", violation.Message);
        Assert.Equal(("element-type", "element type float", "double"), (violation.Rule, violation.Expected, violation.Actual));
        Assert.Equal(0, _calls);
    }

    [Fact]
    public async Task ExecuteAsync_OrtValueWithInfinity_RejectedWithItsIndex()
    {
        var pipeline = CreateOrtSut(v => v.Finite());
        var data = new float[3 * 224 * 224];
        data[^1] = float.PositiveInfinity;
        using var image = OrtValue.CreateTensorValueFromMemory(data, [1, 3, 224, 224]);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(image).AsTask());

        Assert.Equal("Input247[0,2,223,223]: Infinity is not finite", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public void Build_DoubleTensorForFloatModel_RefusedNamingBothTypes()
    {
        var builder = InferencePipeline.For<DenseTensor<double>, int>("resnet18", "0.23.1").UseValidateInput(_session);

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 'Input247': the model's input 'Input247' expects element type float, but the pipeline's input is DenseTensor<double>.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_UnknownInputName_RefusedListingTheModelsInputs()
    {
        var builder = InferencePipeline.For<DenseTensor<float>, int>("resnet18", "0.23.1").UseValidateInput(_session, "image");

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 'image': the model has no input named 'image'; its inputs are: Input247.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_UnknownInputNameForOrtValue_RefusedListingTheModelsInputs()
    {
        var builder = InferencePipeline.For<OrtValue, int>("resnet18", "0.23.1").UseValidateInput(_session, "image");

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal(
            "ValidateInput rule for 'image': the model has no input named 'image'; its inputs are: Input247.",
            Assert.Single(exception.Failures));
    }

    [Fact]
    public void Build_InvalidRuleOfTheUser_ReportedWithTheModelsInputName()
    {
        var builder = InferencePipeline.For<DenseTensor<float>, int>("resnet18", "0.23.1").UseValidateInput(_session, configure: static v => v.Within(1, 0));

        var exception = Assert.Throws<OptionsValidationException>(() => builder.Build(static (_, _) => 0));

        Assert.Equal("ValidateInput rule for 'Input247': Within needs min <= max, neither NaN, but was [1, 0].", Assert.Single(exception.Failures));
    }

    [Fact]
    public void UseValidation_InvalidArguments_Refused()
    {
        var builder = InferencePipeline.For<DenseTensor<float>, int>("resnet18", "0.23.1");

        Assert.Equal("session", Assert.Throws<ArgumentNullException>(() => builder.UseValidateInput(null!)).ParamName);
        Assert.Equal("builder", Assert.Throws<ArgumentNullException>(() => ((InferencePipelineBuilder<DenseTensor<float>, int>)null!).UseValidateInput(_session)).ParamName);
        Assert.Equal("inputName", Assert.Throws<ArgumentException>(() => builder.UseValidateInput(_session, " ")).ParamName);
        Assert.Equal("inputName", Assert.Throws<ArgumentException>(() => InferencePipeline.For<OrtValue, int>("m", "1").UseValidateInput(_session, string.Empty)).ParamName);
    }

    private InferencePipeline<DenseTensor<float>, DenseTensor<float>> CreateDenseSut(Action<Validation.InputRules<DenseTensor<float>>>? configure = null) =>
        InferencePipeline.For<DenseTensor<float>, DenseTensor<float>>("resnet18", "0.23.1")
            .UseValidateInput(_session, configure: configure)
            .Build((image, _) =>
            {
                Interlocked.Increment(ref _calls);
                using var results = _session.Run([NamedOnnxValue.CreateFromTensor(ResNet18Fixture.InputName, image)]);
                var output = results.Single(static r => r.Name == ResNet18Fixture.OutputName).AsTensor<float>();
                return new DenseTensor<float>(output.ToArray(), output.Dimensions);
            });

    private InferencePipeline<OrtValue, float[]> CreateOrtSut(Action<Validation.InputRules<OrtValue>>? configure = null) =>
        InferencePipeline.For<OrtValue, float[]>("resnet18", "0.23.1")
            .UseValidateInput(_session, configure: configure)
            .Build((image, _) =>
            {
                Interlocked.Increment(ref _calls);
                using var runOptions = new RunOptions();
                using var outputs = _session.Run(runOptions, [ResNet18Fixture.InputName], [image], [ResNet18Fixture.OutputName]);
                var output = outputs[0];
                Assert.Equal([1L, 512, 1, 1], output.GetTensorTypeAndShape().Shape);
                return output.GetTensorDataAsSpan<float>().ToArray();
            });
}
