using Keel;

namespace Scoring;

// Every return the generator wraps, a static method, and a method without parameters.
public sealed partial class Scorer
{
    [Monitor]
    public partial float Score(float[] features);

    [Retry]
    public partial void Train(float[] features, CancellationToken cancellationToken);

    [Monitor, Retry]
    internal partial Task WarmUpAsync(CancellationToken cancellationToken);

    [CacheResult]
    public partial Task<string> LabelAsync(int id);

    [Monitor]
    public partial ValueTask FlushAsync();

    [CacheResult]
    public static partial int Parse(string text);

    private float ScoreCore(float[] features) => features[0];

    private void TrainCore(float[] features, CancellationToken cancellationToken)
    {
    }

    private Task WarmUpCoreAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Task<string> LabelCoreAsync(int id) => Task.FromResult(id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private ValueTask FlushCoreAsync() => default;

    private static int ParseCore(string text) => text.Length;
}
