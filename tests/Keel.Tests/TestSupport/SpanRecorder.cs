using System.Diagnostics;

namespace Keel.Tests.TestSupport;

/// <summary>
/// Records the stopped spans of Keel's activity source for one model name. The listener is process-wide, so tests
/// that use it, and tests that need no span listener at all, share the <see cref="KeelActivitySourceCollection"/>.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

    public SpanRecorder(string modelName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Keel",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("keel.model"), modelName))
                {
                    lock (_spans)
                    {
                        _spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}

[CollectionDefinition(Name)]
public sealed class KeelActivitySourceCollection
{
    public const string Name = "Keel activity source";
}
