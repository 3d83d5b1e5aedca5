namespace Keel.Samples.ImageEmbeddings;

/// <summary>The service's paths, in one place: the endpoints map them, and the Kubernetes manifests' probes are checked against them.</summary>
internal static class ServicePaths
{
    public const string Embeddings = "/v1/embeddings";
    public const string Similarity = "/v1/similarity";
    public const string Undecorated = "/bench/embeddings/undecorated";
    public const string Metrics = "/metrics";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string DefaultUrl = "http://127.0.0.1:5080";
}
