namespace Keel.Tests.TestSupport;

internal static class Inline
{
    /// <summary>
    /// Removes xunit's synchronization context from the test's thread, so that continuations of timers fired by
    /// <c>FakeTimeProvider.Advance</c> run inline, before <c>Advance</c> returns. Under xunit's context the runtime
    /// queues them to the thread pool instead, and a test could not check synchronously what happened after a wait.
    /// </summary>
    public static void RunContinuations() => SynchronizationContext.SetSynchronizationContext(null);
}
