using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Validation;

/// <summary>
/// The baseline a <see cref="DriftMonitor"/> compares live inputs with: for each feature, quantile bin edges fitted on
/// training data, the share of the training data in each bin, and the mean and standard deviation. Saved and loaded
/// as JSON; the same samples always give the same profile and the same bytes.
/// </summary>
public sealed class DriftProfile
{
    internal DriftProfile(FeatureProfile[] features)
    {
        Features = features;
    }

    /// <summary>Gets the profile of each feature, in input order.</summary>
    public IReadOnlyList<FeatureProfile> Features { get; }

    /// <summary>Fits a profile on training samples, one row of features per sample.</summary>
    /// <param name="samples">The rows; every row has the same number of features, all finite.</param>
    /// <param name="options">The number of bins and feature names, or <see langword="null"/> for 10 bins named <c>f0</c>, <c>f1</c>, ….</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> or a row is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// There are fewer samples than bins, rows differ in length, a value is not finite, or the options are invalid.
    /// </exception>
    public static DriftProfile Fit(IReadOnlyList<float[]> samples, DriftProfileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        options ??= new DriftProfileOptions();
        var bins = options.BinCount;
        if (bins is < 2 or > DriftProfileOptions.MaxBinCount)
        {
            throw new ArgumentException($"BinCount must be between 2 and {DriftProfileOptions.MaxBinCount}, but was {bins}.", nameof(options));
        }

        if (samples.Count < bins)
        {
            throw new ArgumentException($"Fitting {bins} bins needs at least {bins} samples, but there were {samples.Count}.", nameof(samples));
        }

        var featureCount = samples[0]?.Length ?? throw new ArgumentNullException(nameof(samples), "Sample 0 is null.");
        if (featureCount == 0)
        {
            throw new ArgumentException("Samples must have at least one feature, but sample 0 was empty.", nameof(samples));
        }

        var names = options.FeatureNames;
        if (names is not null && names.Count != featureCount)
        {
            throw new ArgumentException($"FeatureNames must name every feature ({featureCount}), but had {names.Count} names.", nameof(options));
        }

        var columns = new double[featureCount][];
        for (var f = 0; f < featureCount; f++)
        {
            columns[f] = new double[samples.Count];
        }

        for (var s = 0; s < samples.Count; s++)
        {
            var row = samples[s] ?? throw new ArgumentNullException(nameof(samples), $"Sample {s} is null.");
            if (row.Length != featureCount)
            {
                throw new ArgumentException($"Every sample must have {featureCount} features (as sample 0), but sample {s} had {row.Length}.", nameof(samples));
            }

            for (var f = 0; f < featureCount; f++)
            {
                if (!float.IsFinite(row[f]))
                {
                    throw new ArgumentException($"Samples must be finite, but sample {s} feature {f} was {row[f]}.", nameof(samples));
                }

                columns[f][s] = row[f];
            }
        }

        var features = new FeatureProfile[featureCount];
        for (var f = 0; f < featureCount; f++)
        {
            features[f] = FeatureProfile.Fit(names?[f] ?? $"f{f}", columns[f], bins);
        }

        return new DriftProfile(features);
    }

    /// <summary>Writes the profile as indented JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(ToDocument(), DriftProfileJsonContext.Default.DriftProfileDocument);

    /// <summary>Reads a profile written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid profile; the message says what is wrong.</exception>
    public static DriftProfile FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        DriftProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, DriftProfileJsonContext.Default.DriftProfileDocument);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The drift profile is not valid JSON: {exception.Message}", exception);
        }

        if (document?.Features is not { Length: > 0 } features)
        {
            throw new FormatException("The drift profile has no features.");
        }

        return new DriftProfile([.. features.Select(static (feature, index) => FeatureProfile.FromDocument(feature, index))]);
    }

    private DriftProfileDocument ToDocument() => new()
    {
        Version = 1,
        Features = [.. Features.Select(static f => f.ToDocument())],
    };
}

/// <summary>Options of <see cref="DriftProfile.Fit"/>.</summary>
public sealed class DriftProfileOptions
{
    internal const int MaxBinCount = 100;

    /// <summary>Gets or sets the number of quantile bins per feature, from 2 to 100.</summary>
    /// <value>The default value is 10 (deciles), the convention for the Population Stability Index.</value>
    public int BinCount { get; set; } = 10;

    /// <summary>Gets or sets the features' names, in input order, or <see langword="null"/> for <c>f0</c>, <c>f1</c>, ….</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<string>? FeatureNames { get; set; }
}

internal sealed class DriftProfileDocument
{
    public int Version { get; set; }

    public FeatureProfileDocument[]? Features { get; set; }
}

internal sealed class FeatureProfileDocument
{
    public string? Name { get; set; }

    public double Mean { get; set; }

    public double StandardDeviation { get; set; }

    public double[]? Edges { get; set; }

    public double[]? Fractions { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DriftProfileDocument))]
internal sealed partial class DriftProfileJsonContext : JsonSerializerContext;
