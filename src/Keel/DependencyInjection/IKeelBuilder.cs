using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Keel;

/// <summary>Returned by <c>services.AddKeel()</c> to configure Keel's profiles and optional parts in a chain.</summary>
public interface IKeelBuilder
{
    /// <summary>Gets the service collection Keel is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the <c>Keel</c> configuration section profiles are read from, or <see langword="null"/> when none was given.</summary>
    IConfiguration? Configuration { get; }
}

internal sealed class KeelBuilder(IServiceCollection services, IConfiguration? configuration) : IKeelBuilder
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration? Configuration { get; } = configuration;
}
