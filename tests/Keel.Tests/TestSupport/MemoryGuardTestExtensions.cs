using Keel.MemoryGuard;
using Keel.Pipeline;

namespace Keel.Tests.TestSupport;

/// <summary>Adds a memory guard that reads a test's own sampler (fake memory sources) instead of the container's.</summary>
internal static class MemoryGuardTestExtensions
{
    public static InferencePipelineBuilder<TInput, TResult> UseMemoryGuard<TInput, TResult>(this InferencePipelineBuilder<TInput, TResult> builder, MemoryGuardOptions options, MemorySampler sampler) =>
        builder.Use(MemoryGuardDecorator.Name, (next, context) => MemoryGuardDecorator.Create(next, context, ProfileRequest<MemoryGuardOptions>.FromOptions(options), sampler));
}
