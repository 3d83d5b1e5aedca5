using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests;

/// <summary>Tensor rules on DenseTensor inputs without a session: in the pipeline form, and as attributes.</summary>
public sealed partial class DenseTensorRulesTests
{
    private int _calls;

    [Fact]
    public async Task UseValidateInput_DenseTensorRules_ChecksShapeAndValues()
    {
        var pipeline = InferencePipeline.For<DenseTensor<float>, float>("embed", "1")
            .UseValidateInput("pixels", static v => v.DenseTensor().Shape(1, 4).Finite().Within(0, 255))
            .Build(static (t, _) => new ValueTask<float>(t.Buffer.Span[0]));

        Assert.Equal(3f, await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 3, 4, 5, 6 }, [1, 4])));
        var error = await Assert.ThrowsAsync<InputValidationException>(() => pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { float.NaN, 300, 0, 0 }, [1, 4])).AsTask());

        Assert.Equal(["pixels[0,0]", "pixels[0,1]"], error.Violations.Select(static v => v.Parameter));
    }

    [Fact]
    public void DenseTensor_NullRules_Throws()
    {
        Assert.Throws<ArgumentNullException>("rules", () => OnnxInputRulesExtensions.DenseTensor<float>(null!));
    }

    [Fact]
    public async Task GeneratedMethod_DenseTensorParameterWithRules_ValidatesAndKeys()
    {
        var valid = new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [1, 4]);

        Assert.Equal(10f, await SumAsync(valid));
        Assert.Equal(10f, await SumAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [1, 4])));
        var error = await Assert.ThrowsAsync<InputValidationException>(() => SumAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [2, 2])).AsTask());

        Assert.Equal(1, _calls);
        Assert.Equal("pixels: expected shape [1,4], got [2,2]", Assert.Single(error.Violations).Message);
    }

    [CacheResult, ValidateInput]
    private partial ValueTask<float> SumAsync([Shape(1, 4), Finite] DenseTensor<float> pixels, CancellationToken cancellationToken = default);

    private ValueTask<float> SumCoreAsync(DenseTensor<float> pixels, CancellationToken cancellationToken)
    {
        _calls++;
        var sum = 0f;
        foreach (var value in pixels.Buffer.Span)
        {
            sum += value;
        }

        return new ValueTask<float>(sum);
    }
}
