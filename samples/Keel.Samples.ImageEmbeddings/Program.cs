using Keel.Redis;
using Keel.Samples.ImageEmbeddings;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Exporter;

// The reference inference service: ResNet18 as a 512-dimensional image embedding behind Keel's decorators.
//   POST /v1/embeddings   image/png, image/jpeg, a raw tensor (application/octet-stream) or {"url": …} (application/json)
//   POST /v1/similarity   two images (multipart/form-data) → their cosine similarity
//   GET  /metrics         Prometheus;  GET /health/live;  GET /health/ready (503 under memory pressure)
// Listens on http://127.0.0.1:5080 unless --urls, ASPNETCORE_URLS or Kestrel endpoints say otherwise.
// The content root is the service's own folder, so appsettings.json (which holds the decorators' profiles) is found
// whatever the working directory: dotnet run, dotnet <dll>, the native binary, a container.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var configuration = builder.Configuration;
var options = ServiceOptions.Read(configuration.GetSection(ServiceOptions.SectionName));
RequireProfiles(configuration);
if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"])
    && string.IsNullOrEmpty(configuration["https_ports"]) && !configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls(ServicePaths.DefaultUrl);
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = (2L * options.MaxImageBytes) + (64 * 1024);
});

var services = builder.Services;
services.AddSingleton(options);
var redis = configuration.GetSection("Keel:Redis").Exists();
var keel = services.AddKeel(configuration.GetSection("Keel"))
    .AddPrometheusMetrics(metrics => metrics.AddMeter(ServiceMetrics.MeterName, "Microsoft.AspNetCore.Hosting"));
if (redis)
{
    keel.AddRedisCache(static _ => { });   // everything from Keel:Redis (Configuration, KeySecret, …)
}

// Every scrape reads the instruments afresh (the exporter would otherwise answer from a 300 ms cache): a count read right
// after a request includes it. A scrape every few seconds costs nothing worth caching.
services.Configure<PrometheusAspNetCoreOptions>(static prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);

services.AddExceptionHandler<KeelRefusalCounter>();                // first: counts Keel's refusals, answers nothing
services.AddKeelProblemDetails();                                   // 422 invalid input, 503 + Retry-After under pressure
services.AddExceptionHandler<ServiceExceptionHandler>();            // after Keel's: malformed requests, and a counted 500
services.ConfigureHttpJsonOptions(static json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default));
var health = services.AddHealthChecks().AddKeelMemoryHealthCheck(profile: EmbeddingModel.Profile);
if (redis)
{
    health.AddCheck<RedisCacheHealthCheck>("keel-redis", HealthStatus.Degraded, [MemoryPressureHealthCheckBuilderExtensions.ReadyTag]);
}

services.AddSingleton<ServiceMetrics>();
services.AddSingleton(_ => new ResNet18(ModelDirectory(options), options.EffectiveIntraOpThreads));
services.AddSingleton<EmbeddingModel>();
services.AddSingleton<ImageDecoder>();
services.AddSingleton<UrlPolicy>();
services.AddSingleton<ImageFetcher>();
services.AddSingleton<EmbeddingEndpoints>();
services.AddKeyedSingleton(EmbeddingEndpoints.InferenceGate, (sp, _) => new AdmissionGate(options.MaxInFlight, options.MaxQueue, sp.GetRequiredService<ServiceMetrics>(), reportsSlots: true));
services.AddKeyedSingleton(EmbeddingEndpoints.FetchGate, (sp, _) => new AdmissionGate(options.MaxConcurrentFetches, 0, sp.GetRequiredService<ServiceMetrics>(), reportsSlots: false));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();                                           // 404, 405 … as problem+json too
app.MapHealthChecks(ServicePaths.Live, new HealthCheckOptions { Predicate = static _ => false });
app.MapHealthChecks(ServicePaths.Ready, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(MemoryPressureHealthCheckBuilderExtensions.ReadyTag) });
app.MapKeelMetrics(ServicePaths.Metrics);
EmbeddingEndpoints.Map(app, options.BenchmarkEndpoints);

// Load the model now, so a missing or different model file stops the service before it listens, and run it once, so
// the first request does not pay ONNX Runtime's first-run cost (this run is not a request: nothing counts it).
app.Services.GetRequiredService<EmbeddingEndpoints>();
app.Services.GetRequiredService<ResNet18>().Embed(new(new float[ResNet18.PixelValues], [1, ResNet18.Channels, ResNet18.Side, ResNet18.Side]));
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? ServicePaths.DefaultUrl;
Banner.Print(address, redis, options);
await app.WaitForShutdownAsync();

// The profiles the model class names ([CacheResult("embeddings")], …) are defined by configuration; without them the first
// request would fail, so the service refuses to start instead.
static void RequireProfiles(IConfiguration configuration)
{
    string[] profiles =
    [
        $"Keel:Monitor:{EmbeddingModel.Profile}", $"Keel:CacheResult:{EmbeddingModel.Profile}", $"Keel:MemoryGuard:{EmbeddingModel.Profile}",
        $"Keel:Retry:{ImageFetcher.RetryProfile}",
    ];
    var missing = profiles.Where(profile => !configuration.GetSection(profile).Exists()).ToArray();
    if (missing.Length > 0)
    {
        throw new InvalidOperationException($"The service's Keel profiles are not configured: {string.Join(", ", missing)}. They are in appsettings.json next to the service; restore it or set them in another configuration source.");
    }
}

static string ModelDirectory(ServiceOptions options) =>
    Path.IsPathRooted(options.ModelDirectory) ? options.ModelDirectory : Path.Combine(AppContext.BaseDirectory, options.ModelDirectory);
