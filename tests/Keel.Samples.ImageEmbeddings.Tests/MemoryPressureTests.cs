using System.Diagnostics;
using System.Net;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;
using Xunit.Abstractions;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>
/// Real memory pressure: the service runs in a memory cgroup the test creates, whose limit the test then lowers until
/// the service's working set is above the guard's 0.85 (as a node running short would). The service must refuse
/// inference with 503 + Retry-After, fail readiness, stay alive, and accept again once the limit is raised.
/// </summary>
public sealed class MemoryPressureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long RoomyLimit = 4L << 30;
    private const double PressuredLoad = 0.92;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);
    private MemoryCgroup _cgroup = null!;
    private ServiceProcess _service = null!;

    public async Task InitializeAsync()
    {
        var cgroup = MemoryCgroup.TryCreate(RoomyLimit, out var why);
        Assert.True(cgroup is not null, $"This test needs a memory cgroup it can create (run as root, as CI does): {why}");
        _cgroup = cgroup;
        _service = await ServiceProcess.StartAsync(cgroup: _cgroup);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _cgroup.DisposeAsync();
    }

    [Fact]
    public async Task MemoryPressure_CgroupLimitLowered_503WithRetryAfterAndNotReadyThenAcceptsAgain()
    {
        var client = _service.Client;
        await Api.EmbedAsync(client, TestImages.Noise(1), "image/png");

        // Lower the limit under the working set / 0.92. The guard's first refusal runs a garbage collection that may free
        // enough to admit the call; the working set is then read again and the limit lowered again.
        HttpResponseMessage? refused = null;
        for (var round = 1; round <= 5 && refused is null; round++)
        {
            var workingSet = _cgroup.WorkingSetBytes();
            var limit = (long)(workingSet / PressuredLoad);
            _cgroup.SetLimit(limit);
            output.WriteLine($"round {round}: working set {workingSet >> 20} MB, limit lowered to {limit >> 20} MB");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await PollReadyAsync(client, HttpStatusCode.ServiceUnavailable));
            var response = await Api.PostAsync(client, CraftedFiles.Tensor(round), "application/octet-stream");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused = response;
            }
            else
            {
                output.WriteLine($"round {round}: admitted ({(int)response.StatusCode}) after the guard's collection");
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            var (_, _, body) = await Api.ProblemAsync(refused);
            Assert.Contains("\"memoryLoad\"", body, StringComparison.Ordinal);
        }

        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);   // pressured is not dead: no restart
        }

        Assert.True(await _service.MetricAsync("keel_memory_rejections_total") >= 1);
        Assert.False(_service.HasExited);

        _cgroup.SetLimit(RoomyLimit);
        Assert.Equal(HttpStatusCode.OK, await PollReadyAsync(client, HttpStatusCode.OK));
        var accepted = await Api.EmbedAsync(client, TestImages.Noise(2), "image/png");
        Assert.False(accepted.Cached);
    }

    private static async Task<HttpStatusCode> PollReadyAsync(HttpClient client, HttpStatusCode wanted)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (ready.StatusCode == wanted || stopwatch.Elapsed > s_deadline)
            {
                return ready.StatusCode;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
