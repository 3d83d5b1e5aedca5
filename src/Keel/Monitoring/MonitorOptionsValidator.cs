using System.Globalization;

namespace Keel.Monitoring;

/// <summary>
/// Validates <see cref="MonitorOptions"/> against the pipeline's result type. Each message names the option, what it
/// must be and what it was.
/// </summary>
internal static class MonitorOptionsValidator
{
    /// <summary>Checks what a pipeline's result type allows: predictions need a numeric scalar result.</summary>
    public static void ValidateFor<TResult>(MonitorOptions options, string prefix, List<string> errors)
    {
        if (options.RecordPredictions && !MonitorDecorator.IsNumericScalar<TResult>())
        {
            errors.Add($"{prefix}:RecordPredictions needs a numeric scalar result (float, double, Half, decimal or an integer type), but the result type is {typeof(TResult)}.");
        }
    }

    public static void Validate(MonitorOptions options, string prefix, List<string> errors)
    {
        if (!options.RecordPredictions)
        {
            return;
        }

        if (options.PredictionBuckets is not { } buckets)
        {
            return;
        }

        if (buckets.Count is < 1 or > MonitorDefaults.MaxPredictionBuckets)
        {
            errors.Add(Format($"{prefix}:PredictionBuckets must hold between 1 and {MonitorDefaults.MaxPredictionBuckets} boundaries, but held {buckets.Count}."));
            return;
        }

        for (var i = 0; i < buckets.Count; i++)
        {
            if (!double.IsFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1]))
            {
                errors.Add($"{prefix}:PredictionBuckets must be finite numbers in strictly increasing order, but was [{string.Join(", ", buckets.Select(static b => b.ToString(CultureInfo.InvariantCulture)))}].");
                return;
            }
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
