using System.Diagnostics.Metrics;

namespace Keel.Samples.ImageEmbeddings;

/// <summary>
/// The service's own instruments, next to Keel's (meter <c>Keel</c>) on <c>/metrics</c>. Every tag comes from a fixed
/// vocabulary, never from a request.
/// </summary>
internal sealed class ServiceMetrics
{
    public const string MeterName = "Keel.Samples.ImageEmbeddings";

    private readonly Counter<long> _modelRuns;
    private readonly Counter<long> _shed;
    private readonly Counter<long> _refused;
    private readonly UpDownCounter<long> _inFlight;
    private readonly UpDownCounter<long> _queued;

    public ServiceMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _modelRuns = meter.CreateCounter<long>("embeddings.model.runs", "{run}", "Inferences that reached ResNet18 (cache misses and the undecorated benchmark endpoint).");
        _shed = meter.CreateCounter<long>("embeddings.requests.shed", "{request}", "Requests answered 503 at once because every slot and the queue were taken.");
        _refused = meter.CreateCounter<long>("embeddings.requests.refused", "{request}", "Requests refused with a 4xx or 5xx problem before or by the model, by status and reason.");
        _inFlight = meter.CreateUpDownCounter<long>("embeddings.requests.in_flight", "{request}", "Requests holding a slot: decoding or embedding.");
        _queued = meter.CreateUpDownCounter<long>("embeddings.requests.queued", "{request}", "Requests waiting for a slot.");
    }

    public void ModelRan() => _modelRuns.Add(1);

    public void Shed() => _shed.Add(1);

    public void Refused(int status, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status), new KeyValuePair<string, object?>("reason", reason));

    public void InFlight(int delta) => _inFlight.Add(delta);

    public void Queued(int delta) => _queued.Add(delta);
}
