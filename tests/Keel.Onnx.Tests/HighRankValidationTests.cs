using Keel.Onnx.Tests.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests;

/// <summary>Any rank is an input like another: a shape violation (422), never NotSupportedException (500).</summary>
public sealed class HighRankValidationTests
{
    private static readonly int[] s_rankNine = [1, 1, 1, 1, 1, 1, 1, 1, 4];

    [Fact]
    public async Task ExecuteAsync_DenseTensorOfRankNine_AShapeViolation()
    {
        using var session = new InferenceSession(TinyOnnxModels.TwoInputs());
        var pipeline = InferencePipeline.For<DenseTensor<float>, int>("add", "1").UseValidateInput(session, "b").Build(static (_, _) => 1);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new DenseTensor<float>(s_rankNine)).AsTask());

        Assert.Equal("b: expected shape [*,4], got [1,1,1,1,1,1,1,1,4]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public async Task ExecuteAsync_OrtValueOfRankNine_AShapeViolation()
    {
        using var session = new InferenceSession(TinyOnnxModels.TwoInputs());
        var pipeline = InferencePipeline.For<OrtValue, int>("add", "1").UseValidateInput(session, "b", static v => v.Finite()).Build(static (_, _) => 1);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [.. s_rankNine.Select(static d => (long)d)]);

        var exception = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(value).AsTask());

        Assert.Equal("b: expected shape [*,4], got [1,1,1,1,1,1,1,1,4]", Assert.Single(exception.Violations).Message);
    }
}
