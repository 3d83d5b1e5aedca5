namespace Keel.Tests.TestSupport;

internal static class Hang
{
    /// <summary>A model call that never answers: it ends only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static Task UntilCancelledAsync(CancellationToken cancellationToken) =>
        new TaskCompletionSource().Task.WaitAsync(cancellationToken);
}
