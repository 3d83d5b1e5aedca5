using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests;

public sealed class OnnxDescriptorsTests
{
    private int _calls;

    [Fact]
    public void DenseTensor_Image_DescribesSizeAndShape()
    {
        var descriptor = OnnxDescriptors.DenseTensor<float>();
        var image = new DenseTensor<float>([1, 3, 224, 224]);

        Assert.Equal(150_528, descriptor.GetElementCount(image));
        Assert.Equal("float[1,3,224,224]", descriptor.DescribeShape(image));
        Assert.Equal("null", descriptor.DescribeShape(null!));
        Assert.Equal(0, descriptor.GetElementCount(null!));
    }

    [Fact]
    public void DenseTensor_UnsupportedElementType_Refused()
    {
        var exception = Assert.Throws<NotSupportedException>(static () => OnnxDescriptors.DenseTensor<Float16>());

        Assert.Contains("the element type was Microsoft.ML.OnnxRuntime.Float16", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseCache_EqualDenseTensors_ShareOneKey()
    {
        var pipeline = CreateCachedSut();

        await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [2, 2]));
        await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2, 3, 4 }, [2, 2]));

        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task UseCache_SameBytesOtherShape_DifferentKeys()
    {
        var pipeline = CreateCachedSut();

        await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2 }, [1, 2]));
        await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2 }, [2, 1]));
        await pipeline.ExecuteAsync(new DenseTensor<float>(new float[] { 1, 2 }, [2]));

        Assert.Equal(3, _calls);
    }

    [Fact]
    public async Task UseCache_ColumnMajorTensor_KeysLikeTheEqualRowMajorTensor()
    {
        var pipeline = CreateCachedSut();
        var rowMajor = new DenseTensor<float>(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var columnMajor = new DenseTensor<float>([2, 3], reverseStride: true);
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                columnMajor[i, j] = rowMajor[i, j];
            }
        }

        await pipeline.ExecuteAsync(rowMajor);
        await pipeline.ExecuteAsync(columnMajor);

        Assert.Equal(1, _calls);
    }

    [Fact]
    public void OrtValue_Tensor_DescribesSizeAndShape()
    {
        var descriptor = OnnxDescriptors.OrtValue();
        using var value = OrtValue.CreateTensorValueFromMemory(new long[6], [2, 3]);

        Assert.Equal(6, descriptor.GetElementCount(value));
        Assert.Equal("long[2,3]", descriptor.DescribeShape(value));
    }

    [Fact]
    public async Task UseCache_OrtValues_KeyByElementTypeShapeAndData()
    {
        var calls = 0;
        var pipeline = InferencePipeline.For<OrtValue, int>("m", "1")
            .WithInputDescriptor(OnnxDescriptors.OrtValue())
            .UseCacheResult()
            .Build((_, _) => Interlocked.Increment(ref calls));
        using var a = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2 }, [1, 2]);
        using var sameAsA = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2 }, [1, 2]);
        using var otherShape = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2 }, [2, 1]);
        using var otherType = OrtValue.CreateTensorValueFromMemory(new int[] { 1, 2 }, [1, 2]);

        await pipeline.ExecuteAsync(a);
        await pipeline.ExecuteAsync(sameAsA);
        await pipeline.ExecuteAsync(otherShape);
        await pipeline.ExecuteAsync(otherType);

        Assert.Equal(3, calls);
    }

    private InferencePipeline<DenseTensor<float>, int> CreateCachedSut() =>
        InferencePipeline.For<DenseTensor<float>, int>("m", "1")
            .WithInputDescriptor(OnnxDescriptors.DenseTensor<float>())
            .UseCacheResult()
            .Build((_, _) => Interlocked.Increment(ref _calls));
}
