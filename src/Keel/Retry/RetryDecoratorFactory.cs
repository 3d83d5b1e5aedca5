using Keel.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keel.Retry;

/// <summary>
/// Left on a builder by <c>UseRetry</c>: options given in code, or a profile name resolved from the container when
/// the pipeline is built.
/// </summary>
internal sealed class RetryDecoratorFactory : DecoratorFactory
{
    public const string DecoratorName = "Retry";
    private readonly RetryOptions? _options;
    private readonly string? _profile;

    private RetryDecoratorFactory(RetryOptions? options, string? profile)
    {
        _options = options;
        _profile = profile;
    }

    public static RetryDecoratorFactory FromOptions(RetryOptions options) => new(options, profile: null);

    /// <summary>A named profile, or the default profile when <paramref name="profile"/> is <see langword="null"/>.</summary>
    public static RetryDecoratorFactory FromProfile(string? profile) => new(options: null, profile);

    public override IDecorator<TInput, TResult>? Create<TInput, TResult>(PipelineBuildContext context, List<string> errors)
    {
        var environment = context.Environment;
        RetryOptions options;
        string profile;
        RetryBudget? sharedBudget = null;
        if (_options is not null)
        {
            options = _options;
            profile = "(code)";
            RetryOptionsValidator.Validate(options, nameof(RetryOptions), errors);
        }
        else if (environment.Services?.GetService<RetryProfiles>() is { } profiles)
        {
            profile = RetryOptionsValidator.ProfileName(_profile);
            try
            {
                options = profiles.GetOptions(profile);
            }
            catch (OptionsValidationException exception)
            {
                errors.AddRange(exception.Failures);
                return null;
            }

            sharedBudget = profiles.GetBudget(profile, options.Budget);
        }
        else if (_profile is null)
        {
            options = new RetryOptions();
            profile = RetryDefaults.ProfileName;
        }
        else
        {
            errors.Add(KeelEnvironment.ProfileNeedsContainer(DecoratorName, _profile));
            return null;
        }

        if (errors.Count > 0 || options.MaxAttempts == 1)
        {
            return null;
        }

        var budget = options.Budget.Enabled ? sharedBudget ?? new RetryBudget(options.Budget.MaxTokens, options.Budget.TokenRatio) : null;
        var logger = context.LoggerFactory.CreateLogger("Keel.Retry");
        var strategy = new RetryStrategy(options, profile, budget, context.TimeProvider, logger, context.Instruments);
        return new Decorator<TInput, TResult>(DecoratorName, next => new RetryDecorator<TInput, TResult>(next, strategy));
    }
}
