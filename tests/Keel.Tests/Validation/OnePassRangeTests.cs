using Keel.Validation;

namespace Keel.Tests.Validation;

/// <summary>
/// Finite and Within are checked in one vectorised pass when the bounds are finite; this compares that pass with the
/// rules' meaning over random data full of edge values (NaN, infinities, the bounds themselves, negative zero), of
/// lengths around the vector width so that both the vector loop and its scalar tail are exercised.
/// </summary>
public class OnePassRangeTests
{
    private static readonly float[] s_specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1f, -1f, 0.5f, float.Epsilon, float.MaxValue, float.MinValue];

    [Fact]
    public void FiniteAndWithin_RandomFloats_RefusedExactlyWhenAnElementIsNotFiniteOrOutside()
    {
        var random = new Random(20261201);
        for (var test = 0; test < 1_000; test++)
        {
            var min = random.Next(3) == 0 ? s_specials[random.Next(4, s_specials.Length)] : (float)(random.NextDouble() * 2 - 1);
            var max = min + (float)random.NextDouble();
            var data = new float[random.Next(0, 70)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = random.Next(8) switch
                {
                    0 => s_specials[random.Next(s_specials.Length)],
                    1 => min,
                    2 => max,
                    _ => min + ((max - min) * (float)random.NextDouble()),
                };
            }

            var finiteOnly = Passes(v => v.Finite(), data);
            var both = Passes(v => v.Finite().Within(min, max), data);
            var rangeOnly = Passes(v => v.Within(min, max), data);

            var allFinite = data.All(float.IsFinite);
            var allWithin = data.All(x => x >= min && x <= max);
            Assert.True(finiteOnly == allFinite, $"Finite() on [{string.Join(", ", data)}]");
            Assert.True(both == (allFinite && allWithin), $"Finite().Within({min}, {max}) on [{string.Join(", ", data)}]");
            Assert.True(rangeOnly == allWithin, $"Within({min}, {max}) on [{string.Join(", ", data)}]");
        }
    }

    private static bool Passes(Action<InputRules<float[]>> rules, float[] data)
    {
        var pipeline = InferencePipeline.For<float[], int>("fraud", "3.2.0").UseValidateInput("features", rules).Build(static (x, _) => x.Length);
        try
        {
            pipeline.Execute(data);
            return true;
        }
        catch (InputValidationException)
        {
            return false;
        }
    }
}
