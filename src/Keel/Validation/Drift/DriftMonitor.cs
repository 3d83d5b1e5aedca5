using System.Collections.Concurrent;
using System.Globalization;
using Keel.Monitoring;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keel.Validation;

/// <summary>
/// Watches live inputs for drift from a <see cref="DriftProfile"/>: it keeps a bounded sliding window of each
/// feature's most recent values (as bin counts) and computes the Population Stability Index of each feature against
/// the profile. Memory is fixed at construction whatever the traffic; <see cref="Observe"/> costs O(features × log bins)
/// and is safe to call from any number of threads.
/// </summary>
/// <remarks>
/// PSI = Σ (actual − expected) × ln(actual / expected) over the bins, with empty bins smoothed to 0.0001 so that a bin
/// the live data never fills does not make the index infinite.
/// </remarks>
public sealed class DriftMonitor
{
    private const double Smoothing = 1e-4;
    private readonly FeatureProfile[] _features;
    private readonly int _windowSize;
    private readonly int _minimumSamples;
    private readonly int _evaluationInterval;
    private readonly double _warningThreshold;
    private readonly ILogger _logger;
    private readonly Action<string, double>? _report;
    private readonly byte[][] _window;
    private readonly int[][] _counts;
    private readonly bool[] _warned;
    private readonly Lock _gate = new();
    private readonly Lock _evaluationGate = new();
    private int _next;
    private int _filled;
    private int _sinceEvaluation;
    private volatile StrongBox<FeatureDrift>? _alert;
    private readonly ConcurrentDictionary<(string Model, string Version, KeelInstruments Instruments), bool> _gauges = new();

    /// <summary>Initializes a new instance of the <see cref="DriftMonitor"/> class.</summary>
    /// <param name="profile">The baseline.</param>
    /// <param name="options">The window and threshold, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where warnings go, or <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its range and its value.</exception>
    public DriftMonitor(DriftProfile profile, DriftMonitorOptions? options = null, ILogger? logger = null)
        : this(profile, options, logger, report: null)
    {
    }

    internal DriftMonitor(DriftProfile profile, DriftMonitorOptions? options, ILogger? logger, Action<string, double>? report)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new DriftMonitorOptions();
        Validate(options);
        _features = [.. profile.Features];
        _windowSize = options.WindowSize;
        _minimumSamples = Math.Min(options.MinimumSamples, options.WindowSize);
        _evaluationInterval = options.EvaluationInterval;
        _warningThreshold = options.WarningThreshold;
        _logger = logger ?? NullLogger.Instance;
        _report = report;
        _window = new byte[_features.Length][];
        _counts = new int[_features.Length][];
        for (var f = 0; f < _features.Length; f++)
        {
            _window[f] = new byte[_windowSize];
            _counts[f] = new int[_features[f].BinCount];
        }

        _warned = new bool[_features.Length];
    }

    /// <summary>Gets the index above which drift is logged (and, with <see cref="AnomalyAction.Block"/>, rejected).</summary>
    public double WarningThreshold => _warningThreshold;

    /// <summary>Gets the most drifted feature above the threshold at the last evaluation, or <see langword="null"/>.</summary>
    internal FeatureDrift? Alert => _alert?.Value;

    /// <summary>Gets the number of features the monitor expects per observation.</summary>
    public int FeatureCount => _features.Length;

    /// <summary>Reports every evaluation on the <c>keel.input.drift</c> gauge of a pipeline's model and version.</summary>
    internal void ReportTo(string modelName, string modelVersion, KeelInstruments instruments) =>
        _gauges.TryAdd((modelName, modelVersion, instruments), true);

    /// <summary>Returns the conventional band of an index: stable below 0.1, moderate up to 0.25, major above.</summary>
    /// <param name="psi">A Population Stability Index.</param>
    /// <returns>The band.</returns>
    public static DriftSeverity Classify(double psi) => psi switch
    {
        < 0.1 => DriftSeverity.Stable,
        <= 0.25 => DriftSeverity.Moderate,
        _ => DriftSeverity.Major,
    };

    /// <summary>Adds one input's features to the window, dropping the oldest once the window is full.</summary>
    /// <param name="features">The features, in profile order. A value that is not finite is counted in the nearest end bin.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not have <see cref="FeatureCount"/> values.</exception>
    public void Observe(ReadOnlySpan<float> features)
    {
        if (features.Length != _features.Length)
        {
            throw new ArgumentException($"The drift profile has {_features.Length} features, but the input had {features.Length}.", nameof(features));
        }

        Span<byte> bins = features.Length <= 256 ? stackalloc byte[features.Length] : new byte[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var value = features[f];
            bins[f] = (byte)(float.IsNaN(value) ? 0 : _features[f].BinOf(value));
        }

        bool evaluate;
        lock (_gate)
        {
            var slot = _next;
            var full = _filled == _windowSize;
            for (var f = 0; f < bins.Length; f++)
            {
                if (full)
                {
                    _counts[f][_window[f][slot]]--;
                }

                _window[f][slot] = bins[f];
                _counts[f][bins[f]]++;
            }

            _next = slot + 1 == _windowSize ? 0 : slot + 1;
            _filled = full ? _filled : _filled + 1;
            evaluate = ++_sinceEvaluation >= _evaluationInterval && _filled >= _minimumSamples;
            if (evaluate)
            {
                _sinceEvaluation = 0;
            }
        }

        if (evaluate)
        {
            Evaluate();
        }
    }

    /// <summary>Returns each feature's Population Stability Index over the current window, in profile order.</summary>
    /// <returns>The indices; all 0 while the window holds fewer than <see cref="DriftMonitorOptions.MinimumSamples"/> values.</returns>
    public IReadOnlyList<FeatureDrift> GetDrift()
    {
        var result = new FeatureDrift[_features.Length];
        lock (_gate)
        {
            for (var f = 0; f < _features.Length; f++)
            {
                var psi = _filled < _minimumSamples ? 0 : Psi(f);
                result[f] = new FeatureDrift(_features[f].Name, psi, _filled);
            }
        }

        return result;
    }

    private double Psi(int feature)
    {
        var profile = _features[feature];
        var counts = _counts[feature];
        var psi = 0.0;
        for (var bin = 0; bin < counts.Length; bin++)
        {
            var actual = Math.Max((double)counts[bin] / _filled, Smoothing);
            var expected = Math.Max(profile.ExpectedFraction(bin), Smoothing);
            psi += (actual - expected) * Math.Log(actual / expected);
        }

        return psi;
    }

    private void Evaluate()
    {
        var drifts = GetDrift();
        lock (_evaluationGate)
        {
            for (var f = 0; f < drifts.Count; f++)
            {
                var drift = drifts[f];
                _report?.Invoke(drift.Feature, drift.Psi);
                foreach (var gauge in _gauges.Keys)
                {
                    gauge.Instruments.RecordInputDrift(gauge.Model, gauge.Version, drift.Feature, drift.Psi);
                }

                var above = drift.Psi > _warningThreshold;
                if (above && !_warned[f])
                {
                    Log.DriftAboveThreshold(_logger, drift.Feature, drift.Psi, _warningThreshold, drift.Severity, drift.WindowCount);
                }
                else if (!above && _warned[f])
                {
                    Log.DriftBackBelowThreshold(_logger, drift.Feature, drift.Psi, _warningThreshold);
                }

                _warned[f] = above;
            }

            var worst = drifts.Where(d => d.Psi > _warningThreshold).OrderByDescending(static d => d.Psi).FirstOrDefault();
            _alert = worst.Feature is null ? null : new StrongBox<FeatureDrift>(worst);
        }
    }

    private static void Validate(DriftMonitorOptions options)
    {
        if (options.WindowSize is < 10 or > 10_000_000)
        {
            throw new ArgumentException(Format($"WindowSize must be between 10 and 10000000, but was {options.WindowSize}."), nameof(options));
        }

        if (options.MinimumSamples < 1)
        {
            throw new ArgumentException(Format($"MinimumSamples must be at least 1, but was {options.MinimumSamples}."), nameof(options));
        }

        if (options.EvaluationInterval < 1)
        {
            throw new ArgumentException(Format($"EvaluationInterval must be at least 1, but was {options.EvaluationInterval}."), nameof(options));
        }

        if (!double.IsFinite(options.WarningThreshold) || options.WarningThreshold <= 0)
        {
            throw new ArgumentException(Format($"WarningThreshold must be a finite number greater than 0, but was {options.WarningThreshold}."), nameof(options));
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One feature's drift over a monitor's current window.</summary>
/// <param name="Feature">The feature's name from the profile.</param>
/// <param name="Psi">The Population Stability Index against the profile.</param>
/// <param name="WindowCount">How many values the window held.</param>
public readonly record struct FeatureDrift(string Feature, double Psi, int WindowCount)
{
    /// <summary>Gets the conventional band of <see cref="Psi"/>.</summary>
    public DriftSeverity Severity => DriftMonitor.Classify(Psi);
}
