using System.Numerics.Tensors;
using Keel.Validation;

namespace Keel.Tests.Validation;

/// <summary>Every tensor rule passes and fails as specified for every supported input type.</summary>
public class RuleMatrixTests
{
    public static TheoryData<string> InputKinds =>
    [
        "float[]", "double[]", "Half[]", "int[]", "long[]", "byte[]", "float[,]", "Memory<float>", "ReadOnlyMemory<float>", "Tensor<float>",
    ];

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task Shape_EveryInputKind_PassesAndFails(string kind)
    {
        var matrix = Matrix.For(kind);

        Assert.True(await matrix.PassesAsync(Rule.Shape(matrix.Shape(2)), matrix.Valid(2)));
        Assert.Equal("shape", await matrix.RuleBrokenAsync(Rule.Shape(matrix.Shape(3)), matrix.Valid(2)));
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task Within_EveryInputKind_PassesAndFails(string kind)
    {
        var matrix = Matrix.For(kind);

        Assert.True(await matrix.PassesAsync(Rule.Within, matrix.Valid(2)));
        Assert.Equal("range", await matrix.RuleBrokenAsync(Rule.Within, matrix.WithValue(2, 1, 7)));
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task Finite_EveryInputKind_PassesAndFailsForFloatingPoint(string kind)
    {
        var matrix = Matrix.For(kind);

        Assert.True(await matrix.PassesAsync(Rule.Finite, matrix.Valid(2)));
        if (matrix.IsFloatingPoint)
        {
            Assert.Equal("finite", await matrix.RuleBrokenAsync(Rule.Finite, matrix.WithValue(2, 0, double.NaN)));
        }
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task NotEmpty_EveryInputKind_PassesAndFails(string kind)
    {
        var matrix = Matrix.For(kind);

        Assert.True(await matrix.PassesAsync(Rule.NotEmpty, matrix.Valid(2)));
        Assert.Equal("not-empty", await matrix.RuleBrokenAsync(Rule.NotEmpty, matrix.Valid(0)));
    }

    [Theory]
    [MemberData(nameof(InputKinds))]
    public async Task MaxElements_EveryInputKind_PassesAndFails(string kind)
    {
        var matrix = Matrix.For(kind);

        Assert.True(await matrix.PassesAsync(Rule.MaxElements(matrix.Elements(2)), matrix.Valid(2)));
        Assert.Equal("max-elements", await matrix.RuleBrokenAsync(Rule.MaxElements(matrix.Elements(2) - 1), matrix.Valid(2)));
    }

    /// <summary>Builds inputs of one kind with n "rows" (the multi-dimensional kinds have two columns per row).</summary>
    private abstract class Matrix
    {
        public abstract bool IsFloatingPoint { get; }

        public static Matrix For(string kind) => kind switch
        {
            "float[]" => new Vector<float[], float>(static n => new float[n], static v => (float)v, true),
            "double[]" => new Vector<double[], double>(static n => new double[n], static v => v, true),
            "Half[]" => new Vector<Half[], Half>(static n => new Half[n], static v => (Half)v, true),
            "int[]" => new Vector<int[], int>(static n => new int[n], static v => (int)v, false),
            "long[]" => new Vector<long[], long>(static n => new long[n], static v => (long)v, false),
            "byte[]" => new Vector<byte[], byte>(static n => new byte[n], static v => (byte)v, false),
            "float[,]" => new Grid(),
            "Memory<float>" => new Wrapped<Memory<float>>(static a => a.AsMemory()),
            "ReadOnlyMemory<float>" => new Wrapped<ReadOnlyMemory<float>>(static a => a.AsMemory()),
            "Tensor<float>" => new TensorMatrix(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown input kind."),
        };

        public abstract int[] Shape(int rows);

        public abstract long Elements(int rows);

        public abstract object Valid(int rows);

        public abstract object WithValue(int rows, int index, double value);

        public abstract Task<bool> PassesAsync(Rule rule, object input);

        public async Task<string?> RuleBrokenAsync(Rule rule, object input)
        {
            try
            {
                await PassesAsync(rule, input);
                return null;
            }
            catch (InputValidationException exception)
            {
                return Assert.Single(exception.Violations).Rule;
            }
        }
    }

    private abstract class Matrix<TInput> : Matrix
    {
        public override async Task<bool> PassesAsync(Rule rule, object input)
        {
            var calls = 0;
            var pipeline = InferencePipeline.For<TInput, int>("fraud", "3.2.0")
                .UseValidateInput("features", v => rule.Apply(v))
                .Build((_, _) => ++calls);
            await pipeline.ExecuteAsync((TInput)input);
            return calls == 1;
        }
    }

    /// <summary>A rule to declare on rules of any input type.</summary>
    private sealed record Rule(string Name, int[]? Lengths = null, long Limit = 0)
    {
        public static Rule Within { get; } = new("within");

        public static Rule Finite { get; } = new("finite");

        public static Rule NotEmpty { get; } = new("not-empty");

        public static Rule Shape(int[] lengths) => new("shape", lengths);

        public static Rule MaxElements(long limit) => new("max-elements", Limit: limit);

        public void Apply<TInput>(InputRules<TInput> rules)
        {
            _ = Name switch
            {
                "within" => rules.Within(0, 1),
                "finite" => rules.Finite(),
                "not-empty" => rules.NotEmpty(),
                "shape" => rules.Shape(Lengths!),
                _ => rules.MaxElements(Limit),
            };
        }
    }

    private sealed class Vector<TArray, T>(Func<int, T[]> create, Func<double, T> convert, bool floating) : Matrix<TArray>
        where T : struct
    {
        public override bool IsFloatingPoint => floating;

        public override int[] Shape(int rows) => [rows];

        public override long Elements(int rows) => rows;

        public override object Valid(int rows) => create(rows);

        public override object WithValue(int rows, int index, double value)
        {
            var array = create(rows);
            array[index] = convert(value);
            return array;
        }
    }

    private sealed class Grid : Matrix<float[,]>
    {
        public override bool IsFloatingPoint => true;

        public override int[] Shape(int rows) => [rows, 2];

        public override long Elements(int rows) => rows * 2;

        public override object Valid(int rows) => new float[rows, 2];

        public override object WithValue(int rows, int index, double value)
        {
            var grid = new float[rows, 2];
            grid[index, 1] = (float)value;
            return grid;
        }
    }

    private sealed class Wrapped<TMemory>(Func<float[], TMemory> wrap) : Matrix<TMemory>
    {
        public override bool IsFloatingPoint => true;

        public override int[] Shape(int rows) => [rows];

        public override long Elements(int rows) => rows;

        public override object Valid(int rows) => wrap(new float[rows])!;

        public override object WithValue(int rows, int index, double value)
        {
            var array = new float[rows];
            array[index] = (float)value;
            return wrap(array)!;
        }
    }

    private sealed class TensorMatrix : Matrix<Tensor<float>>
    {
        public override bool IsFloatingPoint => true;

        public override int[] Shape(int rows) => [rows, 2];

        public override long Elements(int rows) => rows * 2;

        public override object Valid(int rows) => Tensor.Create(new float[rows * 2], [rows, 2]);

        public override object WithValue(int rows, int index, double value)
        {
            var data = new float[rows * 2];
            data[(index * 2) + 1] = (float)value;
            return Tensor.Create(data, [rows, 2]);
        }
    }
}
