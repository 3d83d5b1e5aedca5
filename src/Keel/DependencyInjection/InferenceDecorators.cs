namespace Keel;

/// <summary>
/// The decorator classes the source generator writes for interfaces with Keel attributes on their methods. Each
/// generated class registers itself here when its assembly loads (a module initializer, no reflection), so that
/// <see cref="Decorate{TInterface}(TInterface, InferencePipelineProvider?)"/> and
/// <c>services.AddKeelDecorated&lt;TInterface, TImplementation&gt;()</c> find it for an interface type alone.
/// </summary>
public static class InferenceDecorators
{
    /// <summary>Registers the generated decorator of <typeparamref name="TInterface"/>; generated code calls it.</summary>
    /// <typeparam name="TInterface">The decorated interface.</typeparam>
    /// <param name="factory">Creates the decorator around an implementation, with a container's pipeline provider or <see langword="null"/> for the standalone one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void Register<TInterface>(Func<TInterface, InferencePipelineProvider?, TInterface> factory)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Registered<TInterface>.Factory = factory;
    }

    /// <summary>Gets whether the generator wrote a decorator for <typeparamref name="TInterface"/>.</summary>
    /// <typeparam name="TInterface">The interface.</typeparam>
    /// <returns><see langword="true"/> when a decorator class is registered for it.</returns>
    public static bool IsDecorated<TInterface>()
        where TInterface : class => Registered<TInterface>.Factory is not null;

    /// <summary>
    /// Wraps <paramref name="inner"/> in the generated decorator of <typeparamref name="TInterface"/>: its decorated
    /// methods run through their pipelines, every other member is forwarded unchanged.
    /// </summary>
    /// <typeparam name="TInterface">The decorated interface.</typeparam>
    /// <param name="inner">The implementation.</param>
    /// <param name="provider">A container's pipeline provider, so that its profiles, time, logging and meters apply; <see langword="null"/> for <see cref="InferencePipelineProvider.Standalone"/>.</param>
    /// <returns>The decorator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No decorator was generated for <typeparamref name="TInterface"/>.</exception>
    public static TInterface Decorate<TInterface>(TInterface inner, InferencePipelineProvider? provider = null)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (Registered<TInterface>.Factory is null)
        {
            // The decorator registers itself when its module initializes, which a module whose code has not run yet
            // (the interface in a library, the call in an app) may not have done.
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(TInterface).Module.ModuleHandle);
        }

        var factory = Registered<TInterface>.Factory ?? throw NotDecorated(typeof(TInterface));
        return factory(inner, provider);
    }

    internal static InvalidOperationException NotDecorated(Type type) => new(
        $"No Keel decorator was generated for {type}: put a Keel attribute ([Monitor], [ValidateInput], [CacheResult], [MemoryGuard], [Retry] or [Resilience]) on at least one of its methods, "
        + "in a project that references the Keel package (which brings the source generator), and use the interface that declares them.");

    private static class Registered<TInterface>
        where TInterface : class
    {
        public static Func<TInterface, InferencePipelineProvider?, TInterface>? Factory;
    }
}
