using System.Numerics.Tensors;
using FsCheck;
using FsCheck.Fluent;

namespace Keel.Tests.Validation;

/// <summary>
/// Property-based checks, 1,000 random cases per rule: malformed inputs are always rejected with
/// <see cref="InputValidationException"/> and never reach the model; valid inputs always pass.
/// </summary>
public class ValidationPropertyTests
{
    private static readonly Config Thousand = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    private static readonly Gen<float> Unit = Gen.Choose(0, 1_000).Select(static i => i / 1_000f);

    [Fact]
    public void Shape_RandomLengths_RejectedExactlyWhenTheyDifferFromTheRule()
    {
        var dims = Gen.Choose(1, 4).SelectMany(static rank => Gen.ArrayOf(Gen.Choose(1, 4), rank));
        var cases = dims.SelectMany(expected => Gen.OneOf(Gen.Constant(expected), dims), static (expected, actual) => (Expected: expected, Actual: actual));

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c =>
        {
            var probe = new Probe<Tensor<float>>(v => v.Shape(c.Expected));
            var input = Tensor.Create(new float[c.Actual.Aggregate(1, static (a, b) => a * b)], [.. c.Actual.Select(static d => (nint)d)]);
            return probe.Passes(input) == c.Expected.SequenceEqual(c.Actual);
        }));
    }

    [Fact]
    public void Finite_NonFiniteValuesAtRandomPositions_AlwaysRejectedAtTheFirstOne()
    {
        var special = Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity);
        var cases =
            from length in Gen.Choose(1, 200)
            from values in Gen.ArrayOf(Unit, length)
            from count in Gen.Choose(0, 3)
            from positions in Gen.ArrayOf(Gen.Choose(0, length - 1), count)
            from bad in Gen.ArrayOf(special, count)
            select (Values: values, Positions: positions, Bad: bad);

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c =>
        {
            var input = (float[])c.Values.Clone();
            for (var i = 0; i < c.Positions.Length; i++)
            {
                input[c.Positions[i]] = c.Bad[i];
            }

            var probe = new Probe<float[]>(static v => v.Finite());
            if (c.Positions.Length == 0)
            {
                return probe.Passes(input);
            }

            var violation = probe.Rejection(input);
            return violation is not null && violation.Parameter == $"features[{c.Positions.Min()}]" && violation.Rule == "finite";
        }));
    }

    [Fact]
    public void Within_RandomValues_RejectedExactlyWhenOneIsOutside()
    {
        var value = Gen.Choose(-2_000, 3_000).Select(static i => i / 1_000f);
        var cases = Gen.Choose(1, 100).SelectMany(length => Gen.ArrayOf(value, length));

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static values =>
        {
            var probe = new Probe<float[]>(static v => v.Within(0, 1));
            var first = Array.FindIndex(values, static x => x is < 0 or > 1);
            return first < 0 ? probe.Passes(values) : probe.Rejection(values)?.Parameter == $"features[{first}]";
        }));
    }

    [Fact]
    public void NotEmpty_RandomLengths_RejectedExactlyWhenEmpty()
    {
        Check.One(Thousand, Prop.ForAll(Gen.Choose(0, 20).SelectMany(length => Gen.ArrayOf(Unit, length)).ToArbitrary(), static values =>
            new Probe<float[]>(static v => v.NotEmpty()).Passes(values) == (values.Length > 0)));
    }

    [Fact]
    public void MaxElements_HugeSizes_RejectedWithoutReadingTheData()
    {
        var cases = Gen.Frequency((3, Gen.Choose(0, 100)), (1, Gen.Choose(101, 5_000)));

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static length =>
        {
            // Every element is NaN: a probe that read the data would also report non-finite values.
            var values = Enumerable.Repeat(float.NaN, length).ToArray();
            var probe = new Probe<float[]>(static v => v.MaxElements(100).Finite());
            var violations = probe.Violations(values);
            return length > 100
                ? violations is [{ Rule: "max-elements" }]
                : violations.Count == (length == 0 ? 0 : 1) && violations.All(static v => v.Rule == "finite");
        }));
    }

    [Fact]
    public void AnyRule_NullOrWrongRankOrNaN_NeverReachesTheModel()
    {
        var inputs = Gen.OneOf(
            Gen.Constant<float[,]?>(null),
            Gen.Choose(1, 5).Select(static n => (float[,]?)new float[n, 3]),
            Gen.Choose(1, 5).SelectMany(rows => Gen.Choose(0, (rows * 4) - 1), static (rows, at) =>
            {
                var input = new float[rows, 4];
                input[at / 4, at % 4] = float.NaN;
                return (float[,]?)input;
            }));

        Check.One(Thousand, Prop.ForAll(inputs.ToArbitrary(), static input =>
        {
            var probe = new Probe<float[,]>(static v => v.Shape(-1, 4).Finite());
            return probe.Rejection(input!) is not null && probe.ModelCalls == 0;
        }));
    }

    [Fact]
    public void AllRules_RandomValidInputs_AlwaysPass()
    {
        var cases = Gen.Choose(1, 8).SelectMany(rows => Gen.ArrayOf(Unit, rows * 4), static (rows, values) => (Rows: rows, Values: values));

        Check.One(Thousand, Prop.ForAll(cases.ToArbitrary(), static c =>
        {
            var input = new float[c.Rows, 4];
            Buffer.BlockCopy(c.Values, 0, input, 0, c.Values.Length * sizeof(float));
            var probe = new Probe<float[,]>(static v => v.Shape(-1, 4).Finite().Within(0, 1).NotEmpty().MaxElements(32));
            return probe.Passes(input) && probe.ModelCalls == 1;
        }));
    }

    /// <summary>A pipeline with the given rules around a model that counts its calls.</summary>
    private sealed class Probe<TInput>
    {
        private readonly InferencePipeline<TInput, int> _pipeline;

        public Probe(Action<Keel.Validation.InputRules<TInput>> rules)
        {
            _pipeline = InferencePipeline.For<TInput, int>("fraud", "3.2.0")
                .UseValidateInput("features", rules)
                .Build((_, _) => ++ModelCalls);
        }

        public int ModelCalls { get; private set; }

        public bool Passes(TInput input) => Violations(input).Count == 0;

        public InputViolation? Rejection(TInput input) => Violations(input) is [var first, ..] ? first : null;

        public IReadOnlyList<InputViolation> Violations(TInput input)
        {
            var before = ModelCalls;
            try
            {
                _pipeline.Execute(input);
                return [];
            }
            catch (InputValidationException exception)
            {
                // A rejected input must never have reached the model.
                return ModelCalls == before ? exception.Violations : [new InputViolation("model", "reached", "no call", "a call")];
            }
        }
    }
}
