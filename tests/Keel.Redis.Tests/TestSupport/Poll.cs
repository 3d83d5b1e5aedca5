using System.Diagnostics;

namespace Keel.Redis.Tests.TestSupport;

/// <summary>
/// Bounded polling for what only real time can bring (a socket reconnecting, a process exiting, Redis expiring a key):
/// the condition is checked every few milliseconds until it holds or the deadline passes. Everything else in these
/// tests runs on a <c>FakeTimeProvider</c>.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(10);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(s_interval);
        while (true)
        {
            var result = await attempt();
            if (done(result))
            {
                return result;
            }

            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                Assert.Fail($"{what} did not happen within {deadline}; last result: {result}.");
            }

            await timer.WaitForNextTickAsync();
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        UntilAsync(() => Task.FromResult(condition()), static done => done, deadline, what);
}
