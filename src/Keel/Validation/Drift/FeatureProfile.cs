namespace Keel.Validation;

/// <summary>
/// One feature of a <see cref="DriftProfile"/>: the interior edges of its quantile bins, the share of the training
/// data in each bin, and its mean and standard deviation.
/// </summary>
public sealed class FeatureProfile
{
    private readonly double[] _edges;
    private readonly double[] _fractions;

    private FeatureProfile(string name, double mean, double standardDeviation, double[] edges, double[] fractions)
    {
        Name = name;
        Mean = mean;
        StandardDeviation = standardDeviation;
        _edges = edges;
        _fractions = fractions;
    }

    /// <summary>Gets the feature's name.</summary>
    public string Name { get; }

    /// <summary>Gets the feature's mean in the training data.</summary>
    public double Mean { get; }

    /// <summary>Gets the feature's population standard deviation in the training data.</summary>
    public double StandardDeviation { get; }

    /// <summary>
    /// Gets the interior bin edges, ascending: a value <c>v</c> falls in bin <c>i</c> when
    /// <c>Edges[i - 1] &lt; v &lt;= Edges[i]</c>, the first and last bins being open-ended.
    /// </summary>
    public IReadOnlyList<double> Edges => _edges;

    /// <summary>Gets the share of the training data in each bin; they sum to 1.</summary>
    public IReadOnlyList<double> Fractions => _fractions;

    internal int BinCount => _fractions.Length;

    /// <summary>Returns the bin of <paramref name="value"/>: a binary search over the edges, so O(log bins).</summary>
    internal int BinOf(double value)
    {
        var index = Array.BinarySearch(_edges, value);
        return index >= 0 ? index : ~index;
    }

    internal double ExpectedFraction(int bin) => _fractions[bin];

    internal static FeatureProfile Fit(string name, double[] values, int bins)
    {
        Array.Sort(values);
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;

        // Interior edges at the quantiles i/bins; repeated edges (many equal values) collapse into one bin.
        var edges = new List<double>(bins - 1);
        for (var i = 1; i < bins; i++)
        {
            var edge = values[(int)((long)i * values.Length / bins) - 1];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        if (edges.Count > 0 && edges[^1] >= values[^1])
        {
            // The last edge equals the maximum: nothing would fall in the last bin, so drop it.
            edges.RemoveAt(edges.Count - 1);
        }

        var profile = new FeatureProfile(name, mean, Math.Sqrt(variance), [.. edges], new double[edges.Count + 1]);
        foreach (var value in values)
        {
            profile._fractions[profile.BinOf(value)]++;
        }

        for (var i = 0; i < profile._fractions.Length; i++)
        {
            profile._fractions[i] /= values.Length;
        }

        return profile;
    }

    internal FeatureProfileDocument ToDocument() => new()
    {
        Name = Name,
        Mean = Mean,
        StandardDeviation = StandardDeviation,
        Edges = _edges,
        Fractions = _fractions,
    };

    internal static FeatureProfile FromDocument(FeatureProfileDocument document, int index)
    {
        if (string.IsNullOrWhiteSpace(document.Name))
        {
            throw new FormatException($"Feature {index} of the drift profile has no name.");
        }

        var edges = document.Edges ?? [];
        var fractions = document.Fractions ?? [];
        if (fractions.Length != edges.Length + 1)
        {
            throw new FormatException($"Feature '{document.Name}' must have one more fraction than edges, but had {edges.Length} edges and {fractions.Length} fractions.");
        }

        for (var i = 1; i < edges.Length; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new FormatException($"Feature '{document.Name}' must have strictly ascending edges, but edge {i} ({edges[i]}) follows {edges[i - 1]}.");
            }
        }

        if (fractions.Any(static f => !double.IsFinite(f) || f < 0) || Math.Abs(fractions.Sum() - 1) > 1e-6)
        {
            throw new FormatException($"Feature '{document.Name}' must have non-negative fractions that sum to 1, but they summed to {fractions.Sum()}.");
        }

        return new FeatureProfile(document.Name, document.Mean, document.StandardDeviation, edges, fractions);
    }
}
