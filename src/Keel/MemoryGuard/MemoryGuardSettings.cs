using Keel.Monitoring;
using Microsoft.Extensions.Logging;

namespace Keel.MemoryGuard;

/// <summary>A pipeline's memory guard options, validated and copied into readonly fields once, at build.</summary>
internal sealed class MemoryGuardSettings(MemoryGuardOptions options, MemorySampler sampler, string modelName, string modelVersion, string operationName, KeelInstruments instruments, ILogger logger)
{
    public readonly MemorySampler Sampler = sampler;
    public readonly double MaxMemoryLoad = options.MaxMemoryLoad;
    public readonly MemoryGuardAction Action = options.Action;
    public readonly TimeSpan MaxWait = options.MaxWait;
    public readonly TimeSpan RetryAfter = options.RetryAfter;
    public readonly long EstimatedBytes = options.EstimatedBytes;
    public readonly string ActionName = MemoryGuardTelemetry.ActionName(options.Action);
    public readonly string ModelName = modelName;
    public readonly string ModelVersion = modelVersion;
    public readonly string OperationName = operationName;
    public readonly KeelInstruments Instruments = instruments;
    public readonly ILogger Logger = logger;
}
