using Keel.Tests.TestSupport;
using Keel.Validation;
using Microsoft.Extensions.Logging;

namespace Keel.Tests.Validation;

public class DriftTests
{
    private const int Features = 4;

    [Fact]
    public void Fit_TrainingSamples_DecileBinsHoldATenthEach()
    {
        var profile = DriftProfile.Fit(Normal(seed: 1, count: 10_000, mean: 0, sd: 1));

        var feature = profile.Features[0];
        Assert.Equal(9, feature.Edges.Count);
        Assert.All(feature.Fractions, static f => Assert.Equal(0.1, f, 3));
        Assert.Equal(0, feature.Mean, 1);
        Assert.Equal(1, feature.StandardDeviation, 1);
        Assert.Equal(["f0", "f1", "f2", "f3"], profile.Features.Select(static f => f.Name));
    }

    [Fact]
    public void Observe_FreshSamplesFromTheSameDistribution_PsiNearZero()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 10_000, mean: 0, sd: 1)));

        foreach (var row in Normal(seed: 2, count: 1_000, mean: 0, sd: 1))
        {
            monitor.Observe(row);
        }

        Assert.All(monitor.GetDrift(), static d =>
        {
            Assert.InRange(d.Psi, 0, 0.05);
            Assert.Equal(DriftSeverity.Stable, d.Severity);
            Assert.Equal(1_000, d.WindowCount);
        });
    }

    [Fact]
    public void Observe_ShiftedDistribution_PsiAboveMajorBand()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 10_000, mean: 0, sd: 1)));

        foreach (var row in Normal(seed: 3, count: 1_000, mean: 1, sd: 1))
        {
            monitor.Observe(row);
        }

        Assert.All(monitor.GetDrift(), static d =>
        {
            Assert.True(d.Psi > 0.25, $"PSI {d.Psi} of a one-sigma shift should be above 0.25.");
            Assert.Equal(DriftSeverity.Major, d.Severity);
        });
    }

    [Fact]
    public void Observe_WindowSlides_OldValuesAreForgotten()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 10_000, mean: 0, sd: 1)), new DriftMonitorOptions { WindowSize = 500 });

        foreach (var row in Normal(seed: 3, count: 2_000, mean: 3, sd: 1).Concat(Normal(seed: 4, count: 500, mean: 0, sd: 1)))
        {
            monitor.Observe(row);
        }

        Assert.All(monitor.GetDrift(), static d =>
        {
            Assert.Equal(500, d.WindowCount);
            Assert.InRange(d.Psi, 0, 0.1);
        });
    }

    [Fact]
    public void Observe_FewerThanMinimumSamples_ReportsZero()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 1_000, mean: 0, sd: 1)), new DriftMonitorOptions { MinimumSamples = 50 });

        foreach (var row in Normal(seed: 3, count: 49, mean: 5, sd: 1))
        {
            monitor.Observe(row);
        }

        Assert.All(monitor.GetDrift(), static d => Assert.Equal(0, d.Psi));
    }

    [Fact]
    public void Observe_ConcurrentCallers_EveryObservationCountedOnce()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 1_000, mean: 0, sd: 1)), new DriftMonitorOptions { WindowSize = 100_000 });
        var rows = Normal(seed: 5, count: 20_000, mean: 0, sd: 1);

        Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row => monitor.Observe(row));

        Assert.All(monitor.GetDrift(), static d => Assert.Equal(20_000, d.WindowCount));
    }

    [Fact]
    public void Observe_DriftCrossesThreshold_WarnsOnceAndReportsEveryFeature()
    {
        var logs = new ListLoggerFactory(LogLevel.Trace);
        var reported = new List<(string Feature, double Psi)>();
        var monitor = new DriftMonitor(
            DriftProfile.Fit(Normal(seed: 1, count: 10_000, mean: 0, sd: 1)),
            new DriftMonitorOptions { WindowSize = 200, EvaluationInterval = 50 },
            logs.CreateLogger("drift"),
            (feature, psi) => reported.Add((feature, psi)));

        foreach (var row in Normal(seed: 3, count: 1_000, mean: 2, sd: 1))
        {
            monitor.Observe(row);
        }

        Assert.Equal(Features, logs.Entries.Count(static e => e.Level == LogLevel.Warning));
        Assert.Contains("Input feature 'f0' has drifted from its training profile", logs.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(new EventId(5000, "InputDriftAboveThreshold"), logs.Entries[0].EventId);
        // Evaluations at observations 100 (the first with MinimumSamples values), 150, 200, …, 1000: 19 of them.
        Assert.Equal(Features * 19, reported.Count);
    }

    [Fact]
    public void Observe_WrongFeatureCount_ThrowsNamingBothCounts()
    {
        var monitor = new DriftMonitor(DriftProfile.Fit(Normal(seed: 1, count: 100, mean: 0, sd: 1)));

        var exception = Assert.Throws<ArgumentException>(() => monitor.Observe([1f, 2f]));

        Assert.Equal("features", exception.ParamName);
        Assert.StartsWith("The drift profile has 4 features, but the input had 2.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_SameSamples_SameBytesAndRoundTrips()
    {
        var first = DriftProfile.Fit(Normal(seed: 1, count: 1_000, mean: 0, sd: 1), new DriftProfileOptions { FeatureNames = ["amount", "age", "score", "velocity"] });
        var second = DriftProfile.Fit(Normal(seed: 1, count: 1_000, mean: 0, sd: 1), new DriftProfileOptions { FeatureNames = ["amount", "age", "score", "velocity"] });

        var json = first.ToJson();
        var loaded = DriftProfile.FromJson(json);

        Assert.Equal(json, second.ToJson());
        Assert.Equal(json, loaded.ToJson());
        Assert.Equal("amount", loaded.Features[0].Name);
        Assert.Contains("\"edges\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_FractionsDoNotMatchEdges_ThrowsFormatExceptionNamingTheFeature()
    {
        const string Json = """{ "version": 1, "features": [ { "name": "amount", "mean": 0, "standardDeviation": 1, "edges": [0, 1], "fractions": [1] } ] }""";

        var exception = Assert.Throws<FormatException>(() => DriftProfile.FromJson(Json));

        Assert.Equal("Feature 'amount' must have one more fraction than edges, but had 2 edges and 1 fractions.", exception.Message);
    }

    [Fact]
    public void FromJson_NotJson_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => DriftProfile.FromJson("{ nope"));
        Assert.Throws<FormatException>(() => DriftProfile.FromJson("""{ "version": 1, "features": [] }"""));
    }

    [Fact]
    public void Fit_InvalidSamples_ThrowWithTheProblem()
    {
        Assert.Equal(
            "Fitting 10 bins needs at least 10 samples, but there were 3. (Parameter 'samples')",
            Assert.Throws<ArgumentException>(() => DriftProfile.Fit([[1f], [2f], [3f]])).Message);
        Assert.StartsWith(
            "Every sample must have 2 features (as sample 0), but sample 10 had 1.",
            Assert.Throws<ArgumentException>(() => DriftProfile.Fit([.. Enumerable.Repeat(new[] { 1f, 2f }, 10), [1f]], new DriftProfileOptions { BinCount = 2 })).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "Samples must be finite, but sample 0 feature 0 was NaN.",
            Assert.Throws<ArgumentException>(() => DriftProfile.Fit([[float.NaN], .. Enumerable.Repeat(new[] { 1f }, 10)])).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "BinCount must be between 2 and 100, but was 1.",
            Assert.Throws<ArgumentException>(() => DriftProfile.Fit(Normal(1, 100, 0, 1), new DriftProfileOptions { BinCount = 1 })).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ConstantFeature_OneBinHoldsEverything()
    {
        var profile = DriftProfile.Fit([.. Enumerable.Repeat(new[] { 5f }, 100)]);

        Assert.Empty(profile.Features[0].Edges);
        Assert.Equal([1.0], profile.Features[0].Fractions);
    }

    [Fact]
    public void DriftMonitor_InvalidOptions_ThrowNamingTheOption()
    {
        var profile = DriftProfile.Fit(Normal(1, 100, 0, 1));

        Assert.StartsWith(
            "WindowSize must be between 10 and 10000000, but was 0.",
            Assert.Throws<ArgumentException>(() => new DriftMonitor(profile, new DriftMonitorOptions { WindowSize = 0 })).Message,
            StringComparison.Ordinal);
        Assert.StartsWith(
            "WarningThreshold must be a finite number greater than 0, but was NaN.",
            Assert.Throws<ArgumentException>(() => new DriftMonitor(profile, new DriftMonitorOptions { WarningThreshold = double.NaN })).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConventionalBands()
    {
        Assert.Equal(DriftSeverity.Stable, DriftMonitor.Classify(0.099));
        Assert.Equal(DriftSeverity.Moderate, DriftMonitor.Classify(0.1));
        Assert.Equal(DriftSeverity.Moderate, DriftMonitor.Classify(0.25));
        Assert.Equal(DriftSeverity.Major, DriftMonitor.Classify(0.2501));
    }

    private static List<float[]> Normal(int seed, int count, double mean, double sd)
    {
        var random = new Random(seed);
        var rows = new List<float[]>(count);
        for (var i = 0; i < count; i++)
        {
            var row = new float[Features];
            for (var f = 0; f < Features; f++)
            {
                // Box-Muller: two uniforms give one standard normal value.
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                row[f] = (float)(mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2)));
            }

            rows.Add(row);
        }

        return rows;
    }
}
