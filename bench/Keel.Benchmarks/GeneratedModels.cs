using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Castle.DynamicProxy;

namespace Keel.Benchmarks;

/// <summary>
/// The model of <see cref="GeneratedBenchmarks"/> in each of the shapes compared there: one 64-float dot product with
/// a fixed weight vector, behind the README's five decorators.
/// </summary>
internal static class FraudScoring
{
    public const int Elements = 64;

    private static readonly float[] s_weights = Enumerable.Range(0, Elements).Select(static i => ((i * 37) % 101) / 101f - 0.5f).ToArray();

    public static float Score(float[] features) => TensorPrimitives.Dot(features, s_weights);

    /// <summary>
    /// The pipeline the generator writes for <see cref="GeneratedFraudModel.ScoreAsync"/>, built by hand: the same
    /// builder calls in the same order with the same options, around a state-passing model call.
    /// </summary>
    public static InferencePipeline<TState, float[], float> BuildPipeline<TState>(Func<TState, float[], CancellationToken, ValueTask<float>> model)
        where TState : class =>
        InferencePipeline.For<float[], float>("fraud", "3.2.0")
            .WithOperation("score")
            .UseMonitor()
            .UseValidateInput("features", static features => features.Shape(Elements).Finite().Within(0, 1))
            .UseCacheResult(static options => options.TimeToLive = TimeSpan.FromSeconds(30))
            .UseMemoryGuard()
            .UseRetry(static options => { options.MaxAttempts = 4; options.BaseDelay = TimeSpan.FromSeconds(1); })
            .Build(model);
}

/// <summary>(a) The partial-method form: the generator writes <c>ScoreAsync</c> around <c>ScoreCoreAsync</c>.</summary>
[InferenceModel("fraud", "3.2.0")]
public sealed partial class GeneratedFraudModel
{
    [Monitor, CacheResult(TtlSeconds = 30), MemoryGuard, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial ValueTask<float> ScoreAsync([Shape(FraudScoring.Elements), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);

    private ValueTask<float> ScoreCoreAsync(float[] features, CancellationToken cancellationToken) => new(FraudScoring.Score(features));
}

/// <summary>
/// (e) The interface form: the generator writes <c>FraudScorerDecorator</c>; (d) a Castle DynamicProxy around the same
/// interface. The attributes are the same as <see cref="GeneratedFraudModel"/>'s.
/// </summary>
[InferenceModel("fraud", "3.2.0")]
public interface IFraudScorer
{
    /// <summary>Scores a 64-element feature vector with values in [0, 1].</summary>
    /// <param name="features">The features.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The score.</returns>
    [Monitor, CacheResult(TtlSeconds = 30), MemoryGuard, Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    ValueTask<float> ScoreAsync([Shape(FraudScoring.Elements), Finite, Within(0, 1)] float[] features, CancellationToken cancellationToken = default);
}

/// <summary>The undecorated implementation that the generated decorator and the Castle proxy wrap.</summary>
public sealed class FraudScorer : IFraudScorer
{
    /// <inheritdoc/>
    public ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken = default) => new(FraudScoring.Score(features));
}

/// <summary>
/// (d) The reflection-proxy way: a Castle DynamicProxy <see cref="IInterceptor"/> that runs a Keel pipeline around
/// <see cref="IInvocation.Proceed"/>, for interface methods that take one input and a token and return a
/// <see cref="ValueTask{TResult}"/>. The pipeline is typed for the one method proxied (a general interceptor would
/// also look it up by <see cref="IInvocation.Method"/>), so this is a lower bound for the proxy form. Castle allocates
/// the invocation and its argument array and boxes the token and the returned <see cref="ValueTask{TResult}"/>;
/// <see cref="IInvocation.CaptureProceedInfo"/> is what lets a retry proceed after <c>Intercept</c> has returned.
/// </summary>
/// <typeparam name="TInput">The method's input.</typeparam>
/// <typeparam name="TResult">The method's result.</typeparam>
public sealed class KeelInterceptor<TInput, TResult>(InferencePipeline<ProxiedCall<TResult>, TInput, TResult> pipeline) : IInterceptor
{
    /// <inheritdoc/>
    public void Intercept(IInvocation invocation)
    {
        var call = new ProxiedCall<TResult>(invocation, invocation.CaptureProceedInfo());
        invocation.ReturnValue = pipeline.ExecuteAsync(call, (TInput)invocation.Arguments[0]!, (CancellationToken)invocation.Arguments[1]!);
    }
}

/// <summary>One intercepted call, the state of <see cref="KeelInterceptor{TInput, TResult}"/>'s pipeline.</summary>
/// <typeparam name="TResult">The method's result.</typeparam>
public sealed class ProxiedCall<TResult>(IInvocation invocation, IInvocationProceedInfo proceed)
{
    /// <summary>Calls the target (or the next interceptor) and returns what it returned.</summary>
    /// <returns>The target's result.</returns>
    public ValueTask<TResult> Proceed()
    {
        proceed.Invoke();
        return (ValueTask<TResult>)invocation.ReturnValue!;
    }
}

/// <summary>
/// (c) The same work written inline without Keel, as a floor: a listener check for the monitor, the shape, finiteness
/// and range of the input (two vectorised passes), an XxHash128 key, a dictionary look-up that checks expiry and
/// compares the stored input, a memory-load check against a sampled value, and a retry loop around the model.
/// </summary>
public sealed class InlineFraudModel : IDisposable
{
    private const int MaxAttempts = 4;
    private const double MaxMemoryLoad = 0.9;

    private static readonly long s_timeToLive = Stopwatch.Frequency * 30;

    private readonly Meter _meter = new("Keel.Inline");
    private readonly ActivitySource _source = new("Keel.Inline");
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<UInt128, Entry> _cache = new();

    /// <summary>Creates the model with its own meter and activity source, which nothing listens to.</summary>
    public InlineFraudModel()
    {
        _duration = _meter.CreateHistogram<double>("keel.inline.duration", "s");
    }

    /// <summary>Gets or sets the memory load last sampled; a real service would refresh it on a timer, as Keel's sampler does.</summary>
    public double MemoryLoad { get; set; } = 0.1;

    /// <summary>Scores <paramref name="features"/> with every check the decorated forms make.</summary>
    /// <param name="features">The features.</param>
    /// <param name="cancellationToken">Cancels the call, including a wait between attempts.</param>
    /// <returns>The score.</returns>
    public ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken = default)
    {
        var observed = _duration.Enabled || _source.HasListeners();
        var start = observed ? Stopwatch.GetTimestamp() : 0;
        if (features.Length != FraudScoring.Elements || !(TensorPrimitives.Min(features) >= 0) || !(TensorPrimitives.Max(features) <= 1))
        {
            throw new ArgumentException("The features must be 64 finite values in [0, 1].", nameof(features));
        }

        var bytes = MemoryMarshal.AsBytes(features.AsSpan());
        var key = XxHash128.HashToUInt128(bytes);
        var now = Stopwatch.GetTimestamp();
        if (_cache.TryGetValue(key, out var entry) && entry.ExpiresAt > now && bytes.SequenceEqual(entry.Input))
        {
            Record(observed, start);
            return new ValueTask<float>(entry.Result);
        }

        if (MemoryLoad > MaxMemoryLoad)
        {
            throw new InsufficientMemoryException();
        }

        return MissAsync(features, key, now, observed, start, cancellationToken);
    }

    private async ValueTask<float> MissAsync(float[] features, UInt128 key, long now, bool observed, long start, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = FraudScoring.Score(features);
                _cache[key] = new Entry(MemoryMarshal.AsBytes(features.AsSpan()).ToArray(), result, now + s_timeToLive);
                Record(observed, start);
                return result;
            }
            catch (Exception) when (attempt < MaxAttempts)
            {
            }

            await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Record(bool observed, long start)
    {
        if (observed)
        {
            _duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _meter.Dispose();
        _source.Dispose();
    }

    private sealed record Entry(byte[] Input, float Result, long ExpiresAt);
}

/// <summary>The partial-method form of <see cref="GeneratedRetryBenchmarks"/>'s model, async and sync.</summary>
[InferenceModel("bench", "1")]
public sealed partial class GeneratedAdder
{
    [Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default);

    [Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    public partial int Add(int input, CancellationToken cancellationToken = default);

    private ValueTask<int> AddCoreAsync(int input, CancellationToken cancellationToken) => new(Adder.Add(input));

    private int AddCore(int input, CancellationToken cancellationToken) => Adder.Add(input);
}

/// <summary>The interface form of <see cref="GeneratedRetryBenchmarks"/>'s model: the generator writes <c>AdderDecorator</c>.</summary>
[InferenceModel("bench", "1")]
public interface IAdder
{
    /// <summary>Adds one.</summary>
    /// <param name="input">The input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The input plus one.</returns>
    [Retry(MaxAttempts = 4, BaseDelaySeconds = 1)]
    ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default);
}

/// <summary>The undecorated model, and the hand-built pipeline the generator writes for <see cref="GeneratedAdder"/>.</summary>
public sealed class Adder : IAdder
{
    /// <summary>The model: adds one.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The input plus one.</returns>
    public static int Add(int input) => input + 1;

    /// <summary>The builder calls the generator writes for <see cref="GeneratedAdder"/>, before <c>Build</c>.</summary>
    /// <returns>The builder.</returns>
    public static InferencePipelineBuilder<int, int> Builder() =>
        InferencePipeline.For<int, int>("bench", "1")
            .WithOperation("add")
            .UseRetry(static options => { options.MaxAttempts = 4; options.BaseDelay = TimeSpan.FromSeconds(1); });

    /// <summary>The generated pipeline of <see cref="GeneratedAdder.AddAsync"/>, built by hand around a state-passing call.</summary>
    /// <typeparam name="TState">The state.</typeparam>
    /// <param name="model">The model call.</param>
    /// <returns>The pipeline.</returns>
    public static InferencePipeline<TState, int, int> BuildPipeline<TState>(Func<TState, int, CancellationToken, ValueTask<int>> model)
        where TState : class => Builder().Build(model);

    /// <inheritdoc/>
    public ValueTask<int> AddAsync(int input, CancellationToken cancellationToken = default) => new(Add(input));
}
