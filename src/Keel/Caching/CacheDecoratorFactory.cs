using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Caching;

/// <summary>
/// Left on a builder by <c>UseCache</c>: options given in code, or a profile name resolved from the container when
/// the pipeline is built. It refuses inputs it cannot key and results it cannot store, naming what to supply.
/// </summary>
internal sealed class CacheDecoratorFactory : DecoratorFactory
{
    public const string DecoratorName = "CacheResult";
    private readonly CacheResultOptions? _options;
    private readonly string? _profile;

    private CacheDecoratorFactory(CacheResultOptions? options, string? profile)
    {
        _options = options;
        _profile = profile;
    }

    public static CacheDecoratorFactory FromOptions(CacheResultOptions options) => new(options, profile: null);

    /// <summary>A named profile, or the default profile when <paramref name="profile"/> is <see langword="null"/>.</summary>
    public static CacheDecoratorFactory FromProfile(string? profile) => new(options: null, profile);

    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var services = context.Environment.Services;
        var resolved = context.Environment.ResolveOptions(_options, _profile, CacheResultDefaults.ProfileName, DecoratorName, CacheResultOptionsValidator.Validate, errors);
        if (resolved is null)
        {
            return null;
        }

        var options = Copy(resolved);

        var descriptor = context.GetInputDescriptor<TInput>();
        if (descriptor is null)
        {
            errors.Add($"{DecoratorName} cannot key parameter 'input' of type {typeof(TInput)}: Keel keys numeric arrays, multi-dimensional arrays, Memory<T>, ReadOnlyMemory<T>, Tensor<T>, strings and numeric scalars. Describe the type with builder.WithInputDescriptor(ValueDescriptor.Create<{typeof(TInput).Name}>((value, ref writer) => ...)), writing every field the prediction depends on.");
        }

        var distributed = options.UseDistributedLevel ? services?.GetService<IDistributedCacheLevel>() : null;
        var serializer = context.GetResultSerializer<TResult>();
        if (distributed is not null && serializer is null)
        {
            errors.Add($"{DecoratorName} cannot store results of type {typeof(TResult)} in the shared cache level: give the builder a serializer with WithResultSerializer(ResultSerializer.Json(...)), or set UseDistributedLevel to false for this profile.");
        }

        var copier = ResultCopier.For<TResult>();
        if (copier is null)
        {
            errors.Add($"{DecoratorName} cannot hand out cached results of type {typeof(TResult)} safely: a caller could change what every later caller is served. Return an immutable type (a sealed record marked [System.ComponentModel.ImmutableObject(true)], an ImmutableArray<T>, a numeric array), or register a copier at start-up with ResultCopier.Register(ResultCopier.Create<{typeof(TResult).Name}>(value => /* a deep copy */)), or ResultCopier.Register(ResultCopier.Immutable<{typeof(TResult).Name}>()) if its instances never change.");
        }

        if (descriptor is null || (distributed is not null && serializer is null) || copier is null)
        {
            return null;
        }

        var memory = new MemoryCacheLevel<TResult>(context.ModelName, context.ModelVersion, options.MaxEntries);
        (services?.GetService<CacheInvalidator>() ?? CacheInvalidator.Standalone).Register(memory);
        var settings = new CacheSettings<TInput, TResult>(
            options,
            descriptor,
            memory,
            new CacheClock(context.TimeProvider),
            distributed,
            serializer,
            new CacheTelemetry(context.ModelName, context.ModelVersion, context.OperationName, context.Instruments),
            context.LoggerFactory.CreateLogger("Keel.Caching"));
        return new Decorator<TInput, TResult>(DecoratorName, next => new CacheDecorator<TInput, TResult>(next, settings));
    }

    // The pipeline keeps its own copy: changing the options object later does not change a built pipeline.
    private static CacheResultOptions Copy(CacheResultOptions options) => new()
    {
        TimeToLive = options.TimeToLive,
        MaxEntries = options.MaxEntries,
        MaxStale = options.MaxStale,
        UseDistributedLevel = options.UseDistributedLevel,
    };
}
