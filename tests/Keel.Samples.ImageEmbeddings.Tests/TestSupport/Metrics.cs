using System.Globalization;

namespace Keel.Samples.ImageEmbeddings.Tests.TestSupport;

/// <summary>Reads samples out of a Prometheus text-format scrape.</summary>
internal static class Metrics
{
    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain each of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public static double Sum(string scrape, string name, params string[] labels)
    {
        var sum = 0.0;
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length <= name.Length || !line.StartsWith(name, StringComparison.Ordinal) || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            if (labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                sum += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
