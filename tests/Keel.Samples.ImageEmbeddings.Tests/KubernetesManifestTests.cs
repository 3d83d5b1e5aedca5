using System.Globalization;
using System.Net;
using System.Text.Json;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>
/// The Kubernetes manifests (samples/Keel.Samples.ImageEmbeddings/deploy/kubernetes) against the service itself: the
/// probes ask paths the running service answers on the port it listens on, readiness is the memory-aware endpoint and
/// liveness is not, and the memory limit leaves the guard room for what the running service measurably uses.
/// </summary>
[Collection(SharedServiceCollection.Name)]
public sealed class KubernetesManifestTests(ServiceFixture fixture)
{
    private static readonly Lazy<List<YamlMappingNode>> s_documents = new(Load);

    private static YamlMappingNode Container => (YamlMappingNode)((YamlSequenceNode)Path(Deployment("image-embeddings"), "spec", "template", "spec", "containers")).Children.Single();

    [Fact]
    public async Task Probes_AskPathsTheServiceAnswersOnThePortItListensOn()
    {
        var port = ContainerPort("http");
        Assert.Equal(new Uri(Env("ASPNETCORE_URLS")!).Port, port);

        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var httpGet = (YamlMappingNode)Path(Container, probe, "httpGet");
            Assert.Equal(port, ResolvePort(Scalar(httpGet, "port")));
            using var response = await fixture.Service.Client.GetAsync(new Uri(Scalar(httpGet, "path"), UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} {Scalar(httpGet, "path")}: {(int)response.StatusCode}");
        }

        Assert.Equal(ServicePaths.Ready, Scalar((YamlMappingNode)Path(Container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal(ServicePaths.Live, Scalar((YamlMappingNode)Path(Container, "livenessProbe", "httpGet"), "path"));
        var annotations = (YamlMappingNode)Path(Deployment("image-embeddings"), "spec", "template", "metadata", "annotations");
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), Scalar(annotations, "prometheus.io/port"));
        Assert.Equal(ServicePaths.Metrics, Scalar(annotations, "prometheus.io/path"));
    }

    [Fact]
    public void Service_TargetsTheContainersNamedPort()
    {
        var ports = (YamlSequenceNode)Path(Document("Service", "image-embeddings"), "spec", "ports");

        Assert.All(ports.Children.Cast<YamlMappingNode>(), p => Assert.Equal(ContainerPort("http"), ResolvePort(Scalar(p, "targetPort"))));
    }

    [Fact]
    public void Redis_IsTheManifestsRedisServiceAndTheKeySecretComesFromASecret()
    {
        var endpoint = Env("Keel__Redis__Configuration")!.Split(':');
        var redis = (YamlMappingNode)((YamlSequenceNode)Path(Document("Service", endpoint[0]), "spec", "ports")).Children.Single();
        Assert.Equal(endpoint[1], Scalar(redis, "port"));

        var secret = ((YamlSequenceNode)Path(Container, "env")).Children.Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == "Keel__Redis__KeySecret");
        Assert.False(secret.Children.ContainsKey("value"), "the key secret must not be written in the manifest");
        Assert.NotNull(Path(secret, "valueFrom", "secretKeyRef", "name"));
    }

    [Fact]
    public void MemoryLimit_LeavesTheGuardRoomForTheMeasuredWorkingSetACacheFullAndTheRequestsInFlight()
    {
        var limits = (YamlMappingNode)Path(Container, "resources", "limits");
        var requests = (YamlMappingNode)Path(Container, "resources", "requests");
        var limit = Bytes(Scalar(limits, "memory"));
        Assert.Equal(limit, Bytes(Scalar(requests, "memory")));   // the node reserves what the guard counts on

        using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("samples", "Keel.Samples.ImageEmbeddings", "appsettings.json")));
        var keel = settings.RootElement.GetProperty("Keel");
        var maxLoad = double.Parse(Env("Keel__MemoryGuard__embeddings__MaxMemoryLoad") ?? keel.GetProperty("MemoryGuard").GetProperty("embeddings").GetProperty("MaxMemoryLoad").GetRawText(), CultureInfo.InvariantCulture);
        var estimated = keel.GetProperty("MemoryGuard").GetProperty("embeddings").GetProperty("EstimatedBytes").GetInt64();
        var entries = keel.GetProperty("CacheResult").GetProperty("embeddings").GetProperty("MaxEntries").GetInt64();
        var inFlight = long.Parse(Env("Embeddings__MaxInFlight") ?? "2", CultureInfo.InvariantCulture);
        var defaults = new ServiceOptions();

        // The service under test has embedded many images by now: its resident set is the working set at rest.
        var resident = ResidentBytes(fixture.Service.Pid);
        var cacheFull = entries * (ResNet18.TensorBytes + (ResNet18.Dimensions * sizeof(float)));
        var requestsInFlight = inFlight * (estimated + (defaults.MaxImagePixels * 4));
        var needed = resident + cacheFull + requestsInFlight;

        Assert.True(limit * maxLoad >= needed,
            $"limit {limit >> 20} MiB × {maxLoad} = {(long)(limit * maxLoad) >> 20} MiB, but the service needs {needed >> 20} MiB: " +
            $"{resident >> 20} MiB resident, {cacheFull >> 20} MiB for a full cache, {requestsInFlight >> 20} MiB for {inFlight} requests in flight");
    }

    private static string? Env(string name) =>
        ((YamlSequenceNode)Path(Container, "env")).Children.Cast<YamlMappingNode>().Where(e => Scalar(e, "name") == name)
            .Select(static e => e.Children.TryGetValue("value", out var value) ? ((YamlScalarNode)value).Value : null).SingleOrDefault();

    private static int ContainerPort(string name) =>
        int.Parse(Scalar(((YamlSequenceNode)Path(Container, "ports")).Children.Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == name), "containerPort"), CultureInfo.InvariantCulture);

    private static int ResolvePort(string port) => int.TryParse(port, CultureInfo.InvariantCulture, out var number) ? number : ContainerPort(port);

    private static YamlMappingNode Deployment(string name) => Document("Deployment", name);

    private static YamlMappingNode Document(string kind, string name) =>
        s_documents.Value.Single(d => Scalar(d, "kind") == kind && Scalar((YamlMappingNode)d["metadata"], "name") == name);

    private static YamlNode Path(YamlMappingNode node, params string[] keys)
    {
        YamlNode current = node;
        foreach (var key in keys)
        {
            Assert.True(current is YamlMappingNode mapping && mapping.Children.ContainsKey(key), $"no '{key}' in the manifest at {string.Join('.', keys)}");
            current = ((YamlMappingNode)current)[key];
        }

        return current;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static long Bytes(string quantity) => quantity switch
    {
        _ when quantity.EndsWith("Gi", StringComparison.Ordinal) => long.Parse(quantity[..^2], CultureInfo.InvariantCulture) << 30,
        _ when quantity.EndsWith("Mi", StringComparison.Ordinal) => long.Parse(quantity[..^2], CultureInfo.InvariantCulture) << 20,
        _ => long.Parse(quantity, CultureInfo.InvariantCulture),
    };

    private static long ResidentBytes(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(static l => l.StartsWith("VmRSS:", StringComparison.Ordinal))["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;

    private static List<YamlMappingNode> Load()
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(RepositoryRoot.File("samples", "Keel.Samples.ImageEmbeddings", "deploy", "kubernetes"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            documents.AddRange(stream.Documents.Select(static d => (YamlMappingNode)d.RootNode));
        }

        return documents;
    }
}
