using Keel;

namespace Search;

public sealed record Query(string Text, int Top);

// Decorated overloads: their generated members are numbered in declaration order, so that none collide.
public sealed partial class Ranker
{
    [CacheResult]
    public partial ValueTask<int> RankAsync(Query query, CancellationToken cancellationToken);

    [CacheResult]
    public partial ValueTask<int> RankAsync(Query query, string locale, CancellationToken cancellationToken);

    private ValueTask<int> RankCoreAsync(Query query, CancellationToken cancellationToken) => new(query.Top);

    private ValueTask<int> RankCoreAsync(Query query, string locale, CancellationToken cancellationToken) => new(locale.Length);
}

public interface IReader
{
    [Retry]
    ValueTask<float[]> GetAsync(string id, CancellationToken cancellationToken);
}

// The decorator class of an interface implements the decorated methods it inherits on their own interface.
public interface IStore : IReader
{
    [Monitor]
    ValueTask<float[]> GetAsync(string id, int version, CancellationToken cancellationToken);
}
