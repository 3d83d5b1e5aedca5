using System.Diagnostics;
using Keel.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Keel.AspNetCore.Tests.OpenTelemetry;

public class KeelInstrumentationTests
{
    [Fact]
    public async Task AddKeelInstrumentation_TracerProvider_ExportsKeelSpans()
    {
        var model = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new CollectingProcessor(model);
        using (Sdk.CreateTracerProviderBuilder().AddKeelInstrumentation().AddProcessor(spans).Build())
        {
            var pipeline = InferencePipeline.For<float[], float>(model, "1.0").UseMonitor().Build(static (x, _) => new ValueTask<float>(x[0]));
            await pipeline.ExecuteAsync([0.5f]);
        }

        var span = Assert.Single(spans.Ended);
        Assert.Equal(KeelDiagnostics.ActivitySourceName, span.Source.Name);
        Assert.Equal("float[1]", span.GetTagItem(KeelTags.InputShape));
    }

    [Fact]
    public async Task AddKeelInstrumentation_MeterProvider_ExportsKeelMetrics()
    {
        var model = "metered-" + Guid.NewGuid().ToString("N")[..8];
        var exporter = new CollectingExporter();
        using (var provider = Sdk.CreateMeterProviderBuilder().AddKeelInstrumentation()
            .AddReader(new BaseExportingMetricReader(exporter)).Build())
        {
            var pipeline = InferencePipeline.For<float[], float>(model, "1.0").UseMonitor().Build(static (x, _) => new ValueTask<float>(x[0]));
            await pipeline.ExecuteAsync([0.5f]);
            provider.ForceFlush();
        }

        Assert.Contains(KeelDiagnostics.InferenceDuration, exporter.Names);
    }

    private sealed class CollectingProcessor(string model) : BaseProcessor<Activity>
    {
        public List<Activity> Ended { get; } = [];

        public override void OnEnd(Activity data)
        {
            if (Equals(data.GetTagItem(KeelTags.Model), model))
            {
                lock (Ended)
                {
                    Ended.Add(data);
                }
            }
        }
    }

    private sealed class CollectingExporter : BaseExporter<Metric>
    {
        public HashSet<string> Names { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                Names.Add(metric.Name);
            }

            return ExportResult.Success;
        }
    }
}
