using Microsoft.Extensions.Options;

namespace Keel.MemoryGuard;

/// <summary>Validates the container's <see cref="MemorySamplerOptions"/> at start-up.</summary>
internal sealed class MemorySamplerOptionsValidator : IValidateOptions<MemorySamplerOptions>
{
    public ValidateOptionsResult Validate(string? name, MemorySamplerOptions options)
    {
        var errors = new List<string>();
        MemoryGuardOptionsValidator.Validate(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
