using System.Diagnostics.CodeAnalysis;
using Keel;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers implementations of interfaces with Keel attributes, wrapped in their generated decorators.</summary>
public static class KeelDecoratedServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TImplementation"/>, and <typeparamref name="TInterface"/> as the generated decorator
    /// around it: the interface's decorated methods run through pipelines built once per container, with the
    /// container's profiles, <see cref="TimeProvider"/>, logging and meters (which <c>AddKeel</c> registers).
    /// </summary>
    /// <typeparam name="TInterface">The interface with Keel attributes on its methods.</typeparam>
    /// <typeparam name="TImplementation">The implementation, created by the container.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="lifetime">The lifetime of both registrations.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is not a defined lifetime.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their type parameters and required arguments, so no call can match both.")]
    public static IServiceCollection AddKeelDecorated<TInterface, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(
        this IServiceCollection services,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TInterface : class
        where TImplementation : class, TInterface
    {
        ArgumentNullException.ThrowIfNull(services);
        ThrowIfUndefined(lifetime);
        services.TryAdd(ServiceDescriptor.Describe(typeof(TImplementation), typeof(TImplementation), lifetime));
        return services.AddKeelDecorated<TInterface>(static sp => sp.GetRequiredService<TImplementation>(), lifetime);
    }

    /// <summary>
    /// Registers <typeparamref name="TInterface"/> as the generated decorator around the implementation
    /// <paramref name="implementationFactory"/> creates, for example a typed <c>HttpClient</c> client.
    /// </summary>
    /// <typeparam name="TInterface">The interface with Keel attributes on its methods.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="implementationFactory">Creates the implementation the decorator wraps.</param>
    /// <param name="lifetime">The registration's lifetime.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="implementationFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is not a defined lifetime.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their type parameters and required arguments, so no call can match both.")]
    public static IServiceCollection AddKeelDecorated<TInterface>(
        this IServiceCollection services,
        Func<IServiceProvider, TInterface> implementationFactory,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(implementationFactory);
        ThrowIfUndefined(lifetime);
        services.Add(ServiceDescriptor.Describe(typeof(TInterface), sp =>
        {
            var provider = sp.GetService<InferencePipelineProvider>()
                ?? throw new InvalidOperationException($"{typeof(TInterface)} is registered with AddKeelDecorated, but Keel is not: call services.AddKeel() as well, so that its decorators use the container's profiles, time, logging and meters.");
            var inner = implementationFactory(sp)
                ?? throw new InvalidOperationException($"The implementation factory of {typeof(TInterface)} returned null.");
            return InferenceDecorators.Decorate(inner, provider);
        }, lifetime));
        return services;
    }

    private static void ThrowIfUndefined(ServiceLifetime lifetime)
    {
        if (!Enum.IsDefined(lifetime))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"The lifetime must be Singleton, Scoped or Transient, but was {(int)lifetime}.");
        }
    }
}
