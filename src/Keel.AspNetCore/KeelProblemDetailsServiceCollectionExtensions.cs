using Keel.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Keel's problem+json responses for refused calls.</summary>
public static class KeelProblemDetailsServiceCollectionExtensions
{
    /// <summary>
    /// Maps <see cref="Keel.MemoryPressureException"/> to 503 with <c>Retry-After</c> and
    /// <see cref="Keel.InputValidationException"/> to 422, both as <c>application/problem+json</c>. Registers ASP.NET
    /// Core's problem details service and an exception handler; add <c>app.UseExceptionHandler()</c> to the pipeline.
    /// The JSON metadata of what the handler writes is source-generated and added to the HTTP JSON options, so the
    /// responses are the same under Native AOT.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddKeelProblemDetails(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolverChain.Add(KeelProblemDetailsJsonContext.Default));
        services.AddExceptionHandler<KeelProblemDetailsExceptionHandler>();
        return services;
    }
}
