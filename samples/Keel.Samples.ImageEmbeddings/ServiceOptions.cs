using System.Globalization;
using Microsoft.Extensions.Options;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// The service's own settings, from the <c>Embeddings</c> configuration section (Keel's decorators read theirs from
/// <c>Keel</c>). Read once at start-up; every problem, a misspelt key included, is reported in one
/// <see cref="OptionsValidationException"/> that names the key, what it must be and what it was.
/// </summary>
internal sealed class ServiceOptions
{
    public const string SectionName = "Embeddings";

    private static readonly string[] s_keys =
    [
        "MaxImageBytes", "MaxImagePixels", "MaxImageSide", "MaxInFlight", "MaxQueue", "ShedRetryAfterSeconds",
        "IntraOpThreads", "ModelDirectory", "BenchmarkEndpoints", "Url",
    ];

    private static readonly string[] s_urlKeys = ["AllowedOrigins", "MaxRedirects", "AttemptTimeoutSeconds", "AllowPrivateAddresses", "MaxConcurrentFetches"];

    /// <summary>The largest image body, in bytes (8 MiB); a larger one is answered 413 without being read.</summary>
    public int MaxImageBytes { get; init; } = 8 << 20;

    /// <summary>The most pixels an image's header may declare (16 MP: 64 MB decoded); more is refused before decoding.</summary>
    public long MaxImagePixels { get; init; } = 4096L * 4096;

    /// <summary>The longest side an image's header may declare.</summary>
    public int MaxImageSide { get; init; } = 16_384;

    /// <summary>Requests decoded and embedded at once.</summary>
    public int MaxInFlight { get; init; } = 2;

    /// <summary>Requests waiting for a slot; one more is answered 503 with Retry-After at once.</summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>The Retry-After of a request shed because the queue is full.</summary>
    public TimeSpan ShedRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>ONNX Runtime's threads per inference; 0 divides the processors among the requests in flight.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>The folder holding ResNet18.onnx and ResNetPreprocess.onnx; relative paths are from the service's own folder.</summary>
    public string ModelDirectory { get; init; } = "Models";

    /// <summary>Maps <c>POST /bench/embeddings/undecorated</c> (the same model without Keel) for the load test.</summary>
    public bool BenchmarkEndpoints { get; init; }

    /// <summary>Where images may be fetched from by URL; empty (the default) turns fetching off.</summary>
    public IReadOnlyList<Uri> AllowedOrigins { get; init; } = [];

    /// <summary>Redirects followed per fetch, each checked against the allow-list.</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>How long one fetch attempt may take, headers and body.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Lets an allow-listed host name resolve to a loopback, private or link-local address.</summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>Fetches by URL at once; one more is answered 503 with Retry-After (a slow origin never holds an inference slot).</summary>
    public int MaxConcurrentFetches { get; init; } = 8;

    /// <summary>The threads ONNX Runtime uses per inference.</summary>
    public int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Environment.ProcessorCount / MaxInFlight);

    /// <summary>Reads and checks the section.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">A key is unknown or a value is invalid; the message lists every problem.</exception>
    public static ServiceOptions Read(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        var reader = new Reader(section, errors);
        CheckKeys(section, s_keys, errors);
        var url = section.GetSection("Url");
        CheckKeys(url, s_urlKeys, errors);

        var defaults = new ServiceOptions();
        var options = new ServiceOptions
        {
            MaxImageBytes = reader.Int("MaxImageBytes", defaults.MaxImageBytes, 1024, 256 << 20),
            MaxImagePixels = reader.Long("MaxImagePixels", defaults.MaxImagePixels, 224L * 224, 1L << 28),
            MaxImageSide = reader.Int("MaxImageSide", defaults.MaxImageSide, 224, 65_535),
            MaxInFlight = reader.Int("MaxInFlight", defaults.MaxInFlight, 1, 1024),
            MaxQueue = reader.Int("MaxQueue", defaults.MaxQueue, 0, 100_000),
            ShedRetryAfter = TimeSpan.FromSeconds(reader.Int("ShedRetryAfterSeconds", (int)defaults.ShedRetryAfter.TotalSeconds, 1, 3600)),
            IntraOpThreads = reader.Int("IntraOpThreads", defaults.IntraOpThreads, 0, 256),
            ModelDirectory = reader.String("ModelDirectory", defaults.ModelDirectory),
            BenchmarkEndpoints = reader.Bool("BenchmarkEndpoints", defaults.BenchmarkEndpoints),
            AllowedOrigins = ReadOrigins(url.GetSection("AllowedOrigins"), errors),
            MaxRedirects = new Reader(url, errors).Int("MaxRedirects", defaults.MaxRedirects, 0, 10),
            AttemptTimeout = TimeSpan.FromSeconds(new Reader(url, errors).Double("AttemptTimeoutSeconds", defaults.AttemptTimeout.TotalSeconds, 0.01, 120)),
            AllowPrivateAddresses = new Reader(url, errors).Bool("AllowPrivateAddresses", defaults.AllowPrivateAddresses),
            MaxConcurrentFetches = new Reader(url, errors).Int("MaxConcurrentFetches", defaults.MaxConcurrentFetches, 1, 10_000),
        };

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(ServiceOptions), errors);
        }

        return options;
    }

    private static void CheckKeys(IConfigurationSection section, string[] known, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{child.Path} is not a setting of the service (a misspelt key?); the settings of {section.Path} are {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>Each origin is <c>scheme://host[:port]</c>, http or https, with no path, query, fragment or credentials.</summary>
    private static Uri[] ReadOrigins(IConfigurationSection section, List<string> errors)
    {
        var origins = new List<Uri>();
        foreach (var child in section.GetChildren())
        {
            var value = child.Value;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                errors.Add($"{child.Path} must be an origin such as https://images.example.com or http://127.0.0.1:8081 (http or https, no path, query or credentials), but was '{value}'.");
                continue;
            }

            origins.Add(uri);
        }

        return [.. origins];
    }

    private readonly struct Reader(IConfigurationSection section, List<string> errors)
    {
        public int Int(string key, int fallback, int min, int max) => (int)Long(key, fallback, min, max);

        public long Long(string key, long fallback, long min, long max)
        {
            if (section[key] is not { } text)
            {
                return fallback;
            }

            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} must be a whole number from {min} to {max}, but was '{text}'."));
                return fallback;
            }

            return value;
        }

        public double Double(string key, double fallback, double min, double max)
        {
            if (section[key] is not { } text)
            {
                return fallback;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} must be a number from {min} to {max}, but was '{text}'."));
                return fallback;
            }

            return value;
        }

        public bool Bool(string key, bool fallback)
        {
            if (section[key] is not { } text)
            {
                return fallback;
            }

            if (!bool.TryParse(text, out var value))
            {
                errors.Add($"{section.Path}:{key} must be true or false, but was '{text}'.");
                return fallback;
            }

            return value;
        }

        public string String(string key, string fallback)
        {
            if (section[key] is not { } text)
            {
                return fallback;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add($"{section.Path}:{key} must be a path, but was empty.");
                return fallback;
            }

            return text;
        }
    }
}
