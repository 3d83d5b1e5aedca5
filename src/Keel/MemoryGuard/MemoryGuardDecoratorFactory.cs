using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.MemoryGuard;

/// <summary>
/// Left on a builder by <c>UseMemoryGuard</c>: options given in code, or a profile name resolved from the container
/// when the pipeline is built. Guards share the container's sampler, or <see cref="MemorySampler.Shared"/>.
/// </summary>
internal sealed class MemoryGuardDecoratorFactory : DecoratorFactory
{
    public const string DecoratorName = "MemoryGuard";
    private readonly MemoryGuardOptions? _options;
    private readonly string? _profile;
    private readonly MemorySampler? _sampler;

    private MemoryGuardDecoratorFactory(MemoryGuardOptions? options, string? profile, MemorySampler? sampler = null)
    {
        _options = options;
        _profile = profile;
        _sampler = sampler;
    }

    /// <summary>Options in code; tests also pass a sampler with fake sources.</summary>
    public static MemoryGuardDecoratorFactory FromOptions(MemoryGuardOptions options, MemorySampler? sampler = null) => new(options, profile: null, sampler);

    /// <summary>A named profile, or the default profile when <paramref name="profile"/> is <see langword="null"/>.</summary>
    public static MemoryGuardDecoratorFactory FromProfile(string? profile) => new(options: null, profile);

    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var services = context.Environment.Services;
        var resolved = context.Environment.ResolveOptions(_options, _profile, MemoryGuardDefaults.ProfileName, DecoratorName, MemoryGuardOptionsValidator.Validate, errors);
        if (resolved is null)
        {
            return null;
        }

        var options = Copy(resolved);

        var sampler = _sampler ?? services?.GetService<MemorySampler>() ?? MemorySampler.Shared;
        var settings = new MemoryGuardSettings(options, sampler, context.ModelName, context.ModelVersion, context.OperationName, context.Instruments, context.LoggerFactory.CreateLogger("Keel.MemoryGuard"));
        return new Decorator<TInput, TResult>(DecoratorName, next => new MemoryGuardDecorator<TInput, TResult>(next, settings));
    }

    // The pipeline keeps its own copy: changing the options object later does not change a built pipeline.
    private static MemoryGuardOptions Copy(MemoryGuardOptions options) => new()
    {
        MaxMemoryLoad = options.MaxMemoryLoad,
        Action = options.Action,
        MaxWait = options.MaxWait,
        RetryAfter = options.RetryAfter,
        EstimatedBytes = options.EstimatedBytes,
    };
}
