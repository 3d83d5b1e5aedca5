using BenchmarkDotNet.Attributes;
using Keel.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Benchmarks;

/// <summary>
/// What validating a 1×3×224×224 float image costs next to one inference of the real ResNet18 model on it. The
/// baseline runs the model on a preallocated <see cref="OrtValue"/>; the other rows run Keel's validation from the
/// model's metadata (shape [1,3,224,224]) plus <c>Finite().Within(0, 1)</c> on the same image, through a pipeline whose
/// model returns at once, for a <see cref="DenseTensor{T}"/> and for an <see cref="OrtValue"/>.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private DenseTensor<float> _image = null!;
    private OrtValue _imageValue = null!;
    private OrtValue[] _inputs = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private InferencePipeline<DenseTensor<float>, int> _validateDenseTensor = null!;
    private InferencePipeline<OrtValue, int> _validateOrtValue = null!;

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Models", "ResNet18.onnx");
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        _session = new InferenceSession(path, options);
        _runOptions = new RunOptions();
        _inputNames = ["Input247"];
        _outputNames = ["Pooling395_Output_0"];

        var data = new float[1 * 3 * 224 * 224];
        var random = new Random(42);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = random.NextSingle();
        }

        _image = new DenseTensor<float>(data, [1, 3, 224, 224]);
        _imageValue = OrtValue.CreateTensorValueFromMemory(data, [1, 3, 224, 224]);
        _inputs = [_imageValue];

        _validateDenseTensor = InferencePipeline.For<DenseTensor<float>, int>("resnet18", "0.23.1")
            .UseValidateInput(_session, configure: static v => v.Finite().Within(0, 1))
            .Build(static (_, _) => 0);
        _validateOrtValue = InferencePipeline.For<OrtValue, int>("resnet18", "0.23.1")
            .UseValidateInput(_session, configure: static v => v.Finite().Within(0, 1))
            .Build(static (_, _) => 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _imageValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ResNet18 inference (session.Run)")]
    public float Inference()
    {
        using var outputs = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "Keel validation, DenseTensor<float>")]
    public int ValidateDenseTensor() => _validateDenseTensor.Execute(_image);

    [Benchmark(Description = "Keel validation, OrtValue")]
    public int ValidateOrtValue() => _validateOrtValue.Execute(_imageValue);
}
