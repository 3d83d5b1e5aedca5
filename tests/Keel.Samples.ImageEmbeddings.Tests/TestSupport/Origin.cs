using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>
/// An HTTP origin on 127.0.0.1 and a free port, in the test process, that answers each request with a handler of the
/// test's and counts the requests it received per path: the flaky image host the service fetches from, or the host
/// it must never contact.
/// </summary>
internal sealed class Origin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private Origin(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the origin, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Address { get; }

    public int TotalRequests => _requests.Values.Sum();

    /// <summary>Starts an origin whose <paramref name="handler"/> gets each request and the number of requests to its path so far (1 for the first).</summary>
    public static async Task<Origin> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Origin? origin = null;
        app.Run(context =>
        {
            var count = origin!._requests.AddOrUpdate(context.Request.Path.Value ?? "/", 1, static (_, n) => n + 1);
            return handler(context, count);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        origin = new Origin(app, new Uri(address));
        return origin;
    }

    public int Requests(string path) => _requests.TryGetValue(path, out var count) ? count : 0;

    public Uri Url(string path) => new(Address, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
