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

/// <summary>
/// Tests that listen to the process-wide "Keel" activity source or measure the allocations of a call. They run alone,
/// after every parallel test: a span listener of another test would make Keel record spans here, and another test's
/// use of a process-wide pool (Polly's cancellation sources) could make a call here allocate what it never does alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KeelActivitySourceCollection
{
    public const string Name = "Keel activity source";
}
