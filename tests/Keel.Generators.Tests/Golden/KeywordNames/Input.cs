using Keel;

namespace Telemetry;

// Parameters named as C# keywords (written with @) and as the names generated code uses for itself.
public sealed partial class EventModel
{
    [Monitor, CacheResult]
    public partial ValueTask<float> ScoreAsync([Finite] float[] @event, CancellationToken cancellationToken);

    [ValidateInput]
    public partial bool Check([NotEmpty] int[] @class, [MaxElements(8)] long[] pipeline, string input);

    private ValueTask<float> ScoreCoreAsync(float[] @event, CancellationToken cancellationToken) => new(@event[0]);

    private bool CheckCore(int[] @class, long[] pipeline, string input) => @class.Length == pipeline.Length;
}

public interface IEventSink
{
    [Retry]
    ValueTask SendAsync(string @event, CancellationToken @checked);
}
