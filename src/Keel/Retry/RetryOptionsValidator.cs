using System.Globalization;

namespace Keel.Retry;

/// <summary>
/// Validates <see cref="RetryOptions"/> with the same messages wherever they come from: a pipeline built with options
/// in code, or a named profile validated at start-up. Each message names the option, what it must be and what it was.
/// </summary>
internal static class RetryOptionsValidator
{
    public static void Validate(RetryOptions options, string prefix, List<string> errors)
    {
        if (options.MaxAttempts < 1)
        {
            errors.Add(Format($"{prefix}:MaxAttempts must be at least 1 (1 turns retry off), but was {options.MaxAttempts}."));
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > RetryDefaults.LongestDelay)
        {
            errors.Add(Format($"{prefix}:BaseDelay must be between 00:00:00 and {RetryDefaults.LongestDelay}, but was {options.BaseDelay}."));
        }

        if (options.MaxDelay <= TimeSpan.Zero || options.MaxDelay > RetryDefaults.LongestDelay)
        {
            errors.Add(Format($"{prefix}:MaxDelay must be greater than 00:00:00 and at most {RetryDefaults.LongestDelay}, but was {options.MaxDelay}."));
        }
        else if (options.MaxDelay < options.BaseDelay)
        {
            errors.Add(Format($"{prefix}:MaxDelay must be at least BaseDelay ({options.BaseDelay}), but was {options.MaxDelay}."));
        }

        if (!double.IsFinite(options.Factor) || options.Factor < 1.0)
        {
            errors.Add(Format($"{prefix}:Factor must be a finite number of at least 1 (1 keeps the delay constant), but was {options.Factor}."));
        }

        if (!Enum.IsDefined(options.Jitter))
        {
            errors.Add(Format($"{prefix}:Jitter must be one of None, Full or Decorrelated, but was {(int)options.Jitter}."));
        }

        if (options.MaxTotalDuration is { } total && total <= TimeSpan.Zero)
        {
            errors.Add(Format($"{prefix}:MaxTotalDuration must be greater than 00:00:00 when set, but was {total}."));
        }

        if (options.Budget is not { } budget)
        {
            errors.Add($"{prefix}:Budget must not be null; set Budget:Enabled to false to turn the budget off.");
        }
        else if (budget.Enabled)
        {
            if (!double.IsFinite(budget.MaxTokens) || budget.MaxTokens is < 1 or > 1000)
            {
                errors.Add(Format($"{prefix}:Budget:MaxTokens must be between 1 and 1000, but was {budget.MaxTokens}."));
            }

            if (!double.IsFinite(budget.TokenRatio) || budget.TokenRatio is < 0.001 or > 1)
            {
                errors.Add(Format($"{prefix}:Budget:TokenRatio must be between 0.001 and 1, but was {budget.TokenRatio}."));
            }
        }

        if (options.Randomizer is null)
        {
            errors.Add($"{prefix}:Randomizer must not be null.");
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
