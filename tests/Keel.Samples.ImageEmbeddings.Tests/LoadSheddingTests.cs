using System.Net;
using Keel.Samples.ImageEmbeddings.Tests.TestSupport;

namespace Keel.Samples.ImageEmbeddings.Tests;

/// <summary>One slot and a queue of one, and a burst of distinct requests: the rest are shed at once with 503 + Retry-After.</summary>
public sealed class LoadSheddingTests : IAsyncLifetime
{
    private ServiceProcess _service = null!;

    public async Task InitializeAsync() => _service = await ServiceProcess.StartAsync(new Dictionary<string, string>
    {
        ["Embeddings__MaxInFlight"] = "1",
        ["Embeddings__MaxQueue"] = "1",
        ["Embeddings__ShedRetryAfterSeconds"] = "2",
    });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Burst_BeyondTheSlotAndQueue_IsShedWith503AndRetryAfterAndCounted()
    {
        var bodies = Enumerable.Range(0, 16).Select(static i => CraftedFiles.Tensor(i + 1)).ToArray();
        await Api.EmbedAsync(_service.Client, CraftedFiles.Tensor(100), "application/octet-stream");   // warm: the burst measures shedding, not start-up

        var responses = await Task.WhenAll(bodies.Select(body => Api.PostAsync(_service.Client, body, "application/octet-stream")));

        try
        {
            var shed = responses.Where(static r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
            Assert.All(responses, static r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"status {(int)r.StatusCode}"));
            Assert.True(shed.Length > 0, "no request was shed");
            Assert.True(responses.Length - shed.Length >= 2, "the slot and the queue were not used");
            foreach (var response in shed)
            {
                Assert.Equal("2", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var (_, reason, _) = await Api.ProblemAsync(response);
                Assert.Equal("overloaded", reason);
            }

            Assert.Equal(shed.Length, await _service.MetricAsync("embeddings_requests_shed_total"));
            Assert.Equal(0, await _service.MetricAsync("embeddings_requests_in_flight"));
            Assert.Equal(0, await _service.MetricAsync("embeddings_requests_queued"));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
