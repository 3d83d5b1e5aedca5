using Keel;

namespace Clients;

public interface INamed
{
    string Name { get; }
}

// A client the user does not own: two decorated methods, and members of every kind that are forwarded unchanged.
public interface IVectorStore : INamed, IDisposable
{
    int TimeoutSeconds { get; set; }

    float[] this[int index] { get; }

    event EventHandler<string>? Changed;

    T Describe<T>(T value)
        where T : notnull;

    TValue? Find<TValue>(string key)
        where TValue : class;

    T? FirstOrDefault<T>(IEnumerable<T> items);

    void Store<T>(T value)
        where T : unmanaged;

    bool TryGet(string key, out float[]? vector);

    void Reset(params string[] ids);

    [Retry("vector-store"), CacheResult(TtlSeconds = 60)]
    ValueTask<float[]> SearchAsync(string query, int top, CancellationToken cancellationToken = default);

    [Monitor]
    Task UpsertAsync(string id, float[] vector, CancellationToken cancellationToken);
}
