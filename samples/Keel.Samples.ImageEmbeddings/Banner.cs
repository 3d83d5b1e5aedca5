namespace Keel.Samples.ImageEmbeddings;

/// <summary>What the service prints once it listens: where, and a curl line that works from any folder (an example image is copied next to the service).</summary>
internal static class Banner
{
    public static void Print(string address, bool redis, ServiceOptions options)
    {
        var base_ = address.TrimEnd('/');
        var image = Path.Combine(AppContext.BaseDirectory, "images", "example.png");
        Console.WriteLine($"Keel image embeddings ({ResNet18.Name} {ResNet18.Version}, {ResNet18.Dimensions} dimensions) listening on {base_}");
        Console.WriteLine($"  cache: in memory{(redis ? " + Redis (Keel:Redis)" : string.Empty)}; fetch by URL: {(options.AllowedOrigins.Count == 0 ? "off" : string.Join(", ", options.AllowedOrigins.Select(static o => o.GetLeftPart(UriPartial.Authority))))}");
        Console.WriteLine("  try:");
        Console.WriteLine($"    curl -s -H 'Content-Type: image/png' --data-binary @{image} {base_}{ServicePaths.Embeddings}");
        Console.WriteLine($"    curl -s {base_}{ServicePaths.Metrics} | grep keel_inference_duration_seconds_count");
        Console.WriteLine($"    curl -s {base_}{ServicePaths.Ready}");
    }
}
