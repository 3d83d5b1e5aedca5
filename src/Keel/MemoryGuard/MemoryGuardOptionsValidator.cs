using System.Globalization;

namespace Keel.MemoryGuard;

/// <summary>
/// Validates <see cref="MemoryGuardOptions"/> with the same messages for options in code and named profiles validated
/// at start-up. Each message names the option, what it must be and what it was.
/// </summary>
internal static class MemoryGuardOptionsValidator
{
    public static void Validate(MemoryGuardOptions options, string prefix, List<string> errors)
    {
        if (!double.IsFinite(options.MaxMemoryLoad) || options.MaxMemoryLoad is <= 0 or > 1)
        {
            errors.Add(Format($"{prefix}:MaxMemoryLoad must be greater than 0 and at most 1 (a ratio of the limit, 0.90 for 90 %), but was {options.MaxMemoryLoad}."));
        }

        if (!Enum.IsDefined(options.Action))
        {
            errors.Add(Format($"{prefix}:Action must be one of CollectThenReject, Wait or Reject, but was {(int)options.Action}."));
        }

        if (options.MaxWait < TimeSpan.Zero || options.MaxWait > MemoryGuardDefaults.LongestWait)
        {
            errors.Add(Format($"{prefix}:MaxWait must be between 00:00:00 and {MemoryGuardDefaults.LongestWait}, but was {options.MaxWait}."));
        }
        else if (options.Action == MemoryGuardAction.Wait && options.MaxWait == TimeSpan.Zero)
        {
            errors.Add(Format($"{prefix}:MaxWait must be greater than 00:00:00 when Action is Wait (use Reject to refuse at once), but was {options.MaxWait}."));
        }

        if (options.RetryAfter < TimeSpan.Zero || options.RetryAfter > MemoryGuardDefaults.LongestWait)
        {
            errors.Add(Format($"{prefix}:RetryAfter must be between 00:00:00 and {MemoryGuardDefaults.LongestWait}, but was {options.RetryAfter}."));
        }

        if (options.EstimatedBytes < 0)
        {
            errors.Add(Format($"{prefix}:EstimatedBytes must be 0 (no admission control) or more, but was {options.EstimatedBytes}."));
        }
    }

    public static void Validate(MemorySamplerOptions options, List<string> errors)
    {
        const string Prefix = "Keel:MemorySampler";
        if (options.SampleInterval < MemoryGuardDefaults.ShortestSampleInterval || options.SampleInterval > MemoryGuardDefaults.LongestSampleInterval)
        {
            errors.Add(Format($"{Prefix}:SampleInterval must be between {MemoryGuardDefaults.ShortestSampleInterval} and {MemoryGuardDefaults.LongestSampleInterval}, but was {options.SampleInterval}."));
        }

        if (options.Sources.Any(static s => s is null))
        {
            errors.Add($"{Prefix}:Sources must not hold null.");
        }

        if (!options.UseBuiltInSources && options.Sources.Count == 0)
        {
            errors.Add($"{Prefix}:Sources must hold at least one source when UseBuiltInSources is false, but was empty.");
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
