using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx.Tests.TestSupport;

/// <summary>
/// The real ResNet18 model (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, MIT), copied next to the tests by the
/// project file. A missing model fails every test that uses it, with the reason; it is never skipped.
/// </summary>
public sealed class ResNet18Fixture : IDisposable
{
    public const string InputName = "Input247";
    public const string OutputName = "Pooling395_Output_0";

    public ResNet18Fixture()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Models", "ResNet18.onnx");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The ResNet18 model was not found at '{path}'. It comes from the package download Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 " +
                "declared in Keel.Onnx.Tests.csproj: run 'dotnet restore' and build again.",
                path);
        }

        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        Session = new InferenceSession(path, options);
    }

    public InferenceSession Session { get; }

    /// <summary>Returns a valid 1×3×224×224 image tensor with values in [0, 1], the same for every call.</summary>
    public static DenseTensor<float> ValidImage()
    {
        var data = new float[1 * 3 * 224 * 224];
        var random = new Random(42);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = random.NextSingle();
        }

        return new DenseTensor<float>(data, [1, 3, 224, 224]);
    }

    public void Dispose() => Session.Dispose();
}
