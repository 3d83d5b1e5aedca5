using BenchmarkDotNet.Attributes;
using Keel.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Keel.Benchmarks;

/// <summary>
/// What monitoring costs on a trivial call: the same model delegate undecorated, behind <c>UseMonitor()</c> with
/// nothing listening, and behind <c>UseMonitor()</c> with an OpenTelemetry meter provider aggregating every
/// measurement. Each benchmark runs in a process of its own, so the meter provider of one never listens to another.
/// </summary>
[MemoryDiagnoser]
public class MonitorBenchmarks
{
    private static readonly Func<float[], CancellationToken, ValueTask<float>> s_model = static (input, _) => new ValueTask<float>(input[0]);

    private readonly float[] _input = new float[64];
    private InferencePipeline<float[], float> _undecorated = null!;
    private InferencePipeline<float[], float> _monitored = null!;
    private MeterProvider? _meterProvider;

    [GlobalSetup(Targets = [nameof(Undecorated), nameof(MonitorNoListener)])]
    public void Setup()
    {
        _undecorated = InferencePipeline.For<float[], float>("bench", "1").Build(s_model);
        _monitored = InferencePipeline.For<float[], float>("bench", "1").UseMonitor().Build(s_model);
    }

    [GlobalSetup(Target = nameof(MonitorWithMeterProvider))]
    public void SetupWithMeterProvider()
    {
        Setup();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(KeelDiagnostics.MeterName)
            .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), exportIntervalMilliseconds: 60_000))
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _meterProvider?.Dispose();

    [Benchmark(Baseline = true, Description = "Keel, no decorators")]
    public ValueTask<float> Undecorated() => _undecorated.ExecuteAsync(_input);

    [Benchmark(Description = "UseMonitor, no listener")]
    public ValueTask<float> MonitorNoListener() => _monitored.ExecuteAsync(_input);

    [Benchmark(Description = "UseMonitor, OpenTelemetry MeterProvider")]
    public ValueTask<float> MonitorWithMeterProvider() => _monitored.ExecuteAsync(_input);

    /// <summary>An exporter that drops every batch: the cost measured is recording and aggregating, not exporting.</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
