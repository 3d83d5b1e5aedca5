using Keel;

namespace Search.Ranking;

// Decorated methods in nested partial types: each containing type is declared again, partial, around them.
public static partial class Models
{
    public sealed partial class Ranker
    {
        [Monitor]
        public partial ValueTask<int> RankAsync(string query, CancellationToken cancellationToken);

        private ValueTask<int> RankCoreAsync(string query, CancellationToken cancellationToken) => new(query.Length);
    }

    internal partial record Embedder
    {
        [CacheResult]
        internal partial float[] Embed(string text);

        private float[] EmbedCore(string text) => [text.Length];
    }
}
