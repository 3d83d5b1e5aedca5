using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using Keel.Caching;
using Keel.Monitoring;
using Keel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keel.Tests.Caching;

/// <summary>
/// A shared entry is served only to a pipeline of the result type that wrote it: pipelines of the same model, version
/// and operation but another result type, and entries that do not decode (JSON null included), read as counted misses.
/// </summary>
public sealed class SharedEntryIdentityTests : IDisposable
{
    private readonly FakeDistributedLevel _shared = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricRecorder _metrics;
    private readonly ServiceProvider _services;
    private readonly string _model = CacheDecoratorTests.NewModelName();

    public SharedEntryIdentityTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddSingleton<IMeterFactory>(_meters);
        services.AddSingleton<IDistributedCacheLevel>(_shared);
        services.AddKeel();
        _services = services.BuildServiceProvider();
        _metrics = new MetricRecorder(_meters);
    }

    [Fact]
    public async Task ExecuteAsync_EntryOfEveryOtherResultType_IsACountedMissAndTheModelAnswers()
    {
        await Pipeline<float>(static _ => 0f).ExecuteAsync([1f]);

        Assert.Equal(new[] { 7f }, await Pipeline<float[]>(static _ => [7f]).ExecuteAsync([1f]));
        Assert.Equal("seven", await Pipeline<string>(static _ => "seven").ExecuteAsync([1f]));
        Assert.Equal(7.0, await Pipeline<double>(static _ => 7.0).ExecuteAsync([1f]));
        Assert.Equal(7, await Pipeline<int>(static _ => 7).ExecuteAsync([1f]));
        Assert.Equal(new Prediction("seven", 7f), await Pipeline(static _ => new Prediction("seven", 7f), ResultSerializer.Json(TestJsonContext.Default.Prediction)).ExecuteAsync([1f]));
        Assert.Equal(new Other("seven", 7f), await Pipeline(static _ => new Other("seven", 7f), ResultSerializer.Json(IdentityJsonContext.Default.Other)).ExecuteAsync([1f]));

        Assert.Equal(6, SharedMisses());
    }

    [Fact]
    public async Task ExecuteAsync_EmptyArrayEntryReadAsScalar_IsAMiss()
    {
        await Pipeline<float[]>(static _ => []).ExecuteAsync([1f]);

        Assert.Equal(7f, await Pipeline<float>(static _ => 7f).ExecuteAsync([1f]));
    }

    [Fact]
    public async Task ExecuteAsync_JsonNullEntryOfTheRightType_IsAMissNotANullResult()
    {
        var serializer = ResultSerializer.Json(TestJsonContext.Default.Prediction);
        await Pipeline(static _ => new Prediction("first", 1f), serializer).ExecuteAsync([1f]);
        var header = new ArrayBufferWriter<byte>();
        TypedResultSerializer<Prediction>.Wrap(serializer)!.Serialize(new Prediction("x", 0f), header);
        _shared.Overwrite([.. header.WrittenSpan[..TypedResultSerializer<Prediction>.HeaderLength], .. "null"u8]);

        var result = await Pipeline(static _ => new Prediction("model", 2f), serializer).ExecuteAsync([1f]);

        Assert.Equal(new Prediction("model", 2f), result);
        Assert.Equal(1, SharedMisses());
    }

    [Fact]
    public async Task ExecuteAsync_UndecodableEntries_AreMissesNeverExceptions()
    {
        var serializer = new ThrowingSerializer();
        await Pipeline(static _ => new Prediction("first", 1f), serializer).ExecuteAsync([1f]);
        byte[][] payloads = [[], [TypedResultSerializer<Prediction>.FormatVersion], "null"u8.ToArray(), [0xC1, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9]];

        foreach (var payload in payloads)
        {
            _shared.Overwrite(payload);
            Assert.Equal("model", (await Pipeline(static _ => new Prediction("model", 2f), serializer).ExecuteAsync([1f])).Label);
        }

        // An entry of the right type whose payload the user's serializer fails on.
        serializer.Fail = true;
        await Pipeline(static _ => new Prediction("model", 2f), serializer).ExecuteAsync([2f]);
        Assert.Equal("model", (await Pipeline(static _ => new Prediction("model", 2f), serializer).ExecuteAsync([2f])).Label);
    }

    [Fact]
    public void TypeName_GenericAndArrayTypes_CarryNoAssemblyVersion()
    {
        Assert.Equal("System.Collections.Generic.Dictionary`2[System.String,System.Single[][]]", TypedResultSerializer<Dictionary<string, float[][]>>.TypeName);
        Assert.Equal("System.Single[,]", TypedResultSerializer<float[,]>.TypeName);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        _meters.Dispose();
    }

    private long SharedMisses() => (long)_metrics.Of(KeelDiagnostics.CacheLookups)
        .Where(static m => (string?)m.Tags[KeelTags.CacheLevel] == CacheTelemetry.SharedLevel && (string?)m.Tags[KeelTags.CacheResult] == "miss")
        .Sum(static m => m.Value)
        - 1; // the first pipeline's own miss

    private InferencePipeline<float[], TResult> Pipeline<TResult>(Func<float[], TResult> model, IResultSerializer<TResult>? serializer = null)
    {
        var builder = _services.GetRequiredService<InferencePipelineFactory>().For<float[], TResult>(_model, "1").WithOperation("predict");
        if (serializer is not null)
        {
            builder = builder.WithResultSerializer(serializer);
        }

        // A new pipeline per call: a fresh memory level, so every call asks the shared level.
        return builder.UseCacheResult().Build((features, _) => model(features));
    }

    private sealed class ThrowingSerializer : IResultSerializer<Prediction>
    {
        public bool Fail { get; set; }

        public void Serialize(Prediction value, IBufferWriter<byte> destination) => destination.Write("p"u8);

        public Prediction Deserialize(ReadOnlySpan<byte> source) =>
            Fail ? throw new IndexOutOfRangeException("a user's bug") : throw new FormatException("not mine");
    }
}

[System.ComponentModel.ImmutableObject(true)]
public sealed record Other(string Label, float Score);

[JsonSerializable(typeof(Other))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
