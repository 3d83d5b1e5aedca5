namespace Keel.Tests.Caching;

/// <summary>A model that scores a feature vector by its sum, counts its calls, and can be held at a gate.</summary>
internal sealed class CountingModel
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets or sets a task every call waits for before answering; <see langword="null"/> answers at once.</summary>
    public Task? Gate { get; set; }

    /// <summary>Gets or sets a failure every call throws after the gate.</summary>
    public Func<Exception>? Failure { get; set; }

    public static float Score(float[] features) => features.Sum();

    public async ValueTask<float> ScoreAsync(float[] features, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Failure is { } failure)
        {
            throw failure();
        }

        return Score(features);
    }
}
