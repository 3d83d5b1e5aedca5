using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        var options = ResolveOptions(services, errors);
        if (options is null)
        {
            return null;
        }

        var sampler = _sampler ?? services?.GetService<MemorySampler>() ?? MemorySampler.Shared;
        var settings = new MemoryGuardSettings(options, sampler, context.ModelName, context.ModelVersion, context.OperationName, context.Instruments, context.LoggerFactory.CreateLogger("Keel.MemoryGuard"));
        return new Decorator<TInput, TResult>(DecoratorName, next => new MemoryGuardDecorator<TInput, TResult>(next, settings));
    }

    private MemoryGuardOptions? ResolveOptions(IServiceProvider? services, List<string> errors)
    {
        if (_options is not null)
        {
            var before = errors.Count;
            MemoryGuardOptionsValidator.Validate(_options, nameof(MemoryGuardOptions), errors);
            return errors.Count == before ? Copy(_options) : null;
        }

        if (services?.GetService<IOptionsMonitor<MemoryGuardOptions>>() is { } monitor)
        {
            try
            {
                return Copy(monitor.Get(MemoryGuardOptionsValidator.ProfileName(_profile)));
            }
            catch (OptionsValidationException exception)
            {
                errors.AddRange(exception.Failures);
                return null;
            }
        }

        if (_profile is null)
        {
            return new MemoryGuardOptions();
        }

        errors.Add(KeelEnvironment.ProfileNeedsContainer(DecoratorName, _profile));
        return null;
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
