using System.Globalization;
using Keel;
using Keel.MemoryGuard;
using Keel.Samples.AotWebApi;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// GET /score?features=0.1,0.2,0.3,0.4 through validation (shape 4, finite, within [0, 1]) and the memory guard;
// GET /health/ready. The memory load is fixed by the command line (--memory-load 0.95), so the guard's 503 and the
// readiness 503 do not depend on the machine's memory.
var builder = WebApplication.CreateSlimBuilder(args);
var memoryLoad = double.Parse(builder.Configuration["memory-load"] ?? "0.5", CultureInfo.InvariantCulture);

builder.Services.AddKeel()
    .ConfigureMemoryGuard("Default", o =>
    {
        o.Action = MemoryGuardAction.Reject;
        o.RetryAfter = TimeSpan.FromSeconds(2.5);
    })
    .ConfigureMemorySampler(o =>
    {
        o.UseBuiltInSources = false;
        o.Sources.Add(new FixedMemorySource(memoryLoad));
    });
builder.Services.AddKeelProblemDetails();
builder.Services.AddHealthChecks().AddKeelMemoryHealthCheck();

var app = builder.Build();
app.UseExceptionHandler();
app.MapHealthChecks("/health/ready");

var score = app.Services.GetRequiredService<InferencePipelineFactory>()
    .For<float[], float>("fraud", "3.2.0")
    .UseValidateInput("features", v => v.Shape(4).Finite().Within(0, 1))
    .UseMemoryGuard()
    .Build(static (features, _) => new ValueTask<float>(features.Sum() / features.Length));

app.MapGet("/score", async (string features, CancellationToken cancellationToken) =>
{
    var values = features.Split(',').Select(static f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    var result = await score.ExecuteAsync(values, cancellationToken);
    return result.ToString(CultureInfo.InvariantCulture);
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"listening on {address}");
await app.WaitForShutdownAsync();
