using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// ResNet18 as ML.NET ships it (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, MIT), with nothing of Keel: the
/// package's preprocessing graph (RGB to BGR, minus the training set's mean image) chained before the network, and the
/// 512 values of its last pooling layer as the embedding. The input is what the preprocessing graph takes: a
/// 1×3×224×224 float tensor of 0–255 RGB values, channels first, as the graphs' metadata (checked at start-up) says.
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance serves every request.
/// </summary>
internal sealed class ResNet18 : IDisposable
{
    public const string Name = "resnet18";
    public const string Version = "0.23.1";
    public const int Side = 224;
    public const int Channels = 3;
    public const int Dimensions = 512;
    public const int PixelValues = Channels * Side * Side;
    public const int TensorBytes = PixelValues * sizeof(float);
    public const string PixelsInput = "OriginalInput";

    private const string PreprocessedOutput = "PreprocessedInput";
    private const string NetworkInput = "Input247";
    private const string NetworkOutput = "Pooling395_Output_0";

    private static readonly long[] s_shape = [1, Channels, Side, Side];
    private static readonly string[] s_pixelsInput = [PixelsInput];
    private static readonly string[] s_preprocessedOutput = [PreprocessedOutput];
    private static readonly string[] s_networkInput = [NetworkInput];
    private static readonly string[] s_networkOutput = [NetworkOutput];

    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _preprocessing;
    private readonly InferenceSession _network;

    /// <summary>Loads both graphs from <paramref name="directory"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or <paramref name="intraOpThreads"/> is below 1.</exception>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    public ResNet18(string directory, int intraOpThreads)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _preprocessing = new InferenceSession(Require(directory, "ResNetPreprocess.onnx"), _options);
        _network = new InferenceSession(Require(directory, "ResNet18.onnx"), _options);
        CheckMetadata();
    }

    /// <summary>Embeds one image tensor; the caller has checked its shape and values.</summary>
    public float[] Embed(DenseTensor<float> pixels)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.Buffer, s_shape);
        using var preprocessed = _preprocessing.Run(_runOptions, s_pixelsInput, [input], s_preprocessedOutput);
        using var output = _network.Run(_runOptions, s_networkInput, [preprocessed[0]], s_networkOutput);
        var embedding = output[0].GetTensorDataAsSpan<float>();
        return embedding.Length == Dimensions
            ? embedding.ToArray()
            : throw new InvalidOperationException($"ResNet18 returned {embedding.Length} values; expected {Dimensions}.");
    }

    public void Dispose()
    {
        _network.Dispose();
        _preprocessing.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    /// <summary>
    /// Fails start-up unless the graphs declare what the service sends and reads: the preprocessing graph's input as the
    /// float [1,3,224,224] tensor that <see cref="EmbeddingModel.EmbedAsync"/> validates against, and the network's
    /// output as 512 floats. A different model file is caught here, not by the first request.
    /// </summary>
    private void CheckMetadata()
    {
        static void Expect(InferenceSession session, bool input, string name, int[] shape, string graph)
        {
            var metadata = input ? session.InputMetadata : session.OutputMetadata;
            if (!metadata.TryGetValue(name, out var node) || !node.IsTensor || node.ElementDataType != TensorElementType.Float || !node.Dimensions.SequenceEqual(shape))
            {
                var found = string.Join(", ", metadata.Select(static m => $"{m.Key}: {m.Value.ElementDataType} [{string.Join(',', m.Value.Dimensions)}]"));
                throw new InvalidOperationException($"The {graph} graph must have the {(input ? "input" : "output")} {name}: Float [{string.Join(',', shape)}], but it has {found}.");
            }
        }

        Expect(_preprocessing, input: true, PixelsInput, [1, Channels, Side, Side], "preprocessing");
        Expect(_preprocessing, input: false, PreprocessedOutput, [1, Channels, Side, Side], "preprocessing");
        Expect(_network, input: true, NetworkInput, [1, Channels, Side, Side], "ResNet18");
        Expect(_network, input: false, NetworkOutput, [1, Dimensions, 1, 1], "ResNet18");
    }

    private static string Require(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The model file '{file}' was not found in '{directory}'. It comes from the package download Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 in the service's project file: build the project again.", path);
    }
}
