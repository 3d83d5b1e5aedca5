using System.Numerics.Tensors;
using Keel.Validation;

namespace Keel.Tests.Validation;

public class TensorValidatorTests
{
    private static readonly TensorValidator<float> s_validator = TensorValidator.Create<float>("features", static v => v.Shape(-1, 3).Finite().Within(0, 1));

    [Fact]
    public void Validate_ValidTensorSpan_Passes()
    {
        float[] data = [0f, 0.5f, 1f, 0.25f, 0.75f, 0f];

        s_validator.Validate(new ReadOnlyTensorSpan<float>(data, [2, 3]));
    }

    [Fact]
    public void Validate_TensorSpanWithNaNAndWrongShape_ListsBoth()
    {
        float[] data = [0f, float.NaN, 1f, 0.25f];

        var exception = Assert.Throws<InputValidationException>(() => s_validator.Validate(new ReadOnlyTensorSpan<float>(data, [2, 2])));

        Assert.Equal(["features: expected shape [*,3], got [2,2]", "features[0,1]: NaN is not finite"], exception.Violations.Select(static v => v.Message));
    }

    [Fact]
    public void Validate_StridedTensorSpan_ReportsTheViewsIndex()
    {
        var tensor = Tensor.Create([0f, 0f, 0f, 0f, 0f, 9f, 0f, 0f, 0f], [3, 3]);
        var column = TensorValidator.Create<float>("features", static v => v.Shape(3, 1).Within(0, 1));
        Assert.False(tensor.AsReadOnlyTensorSpan().Slice(.., 2..3).IsDense);

        var exception = Assert.Throws<InputValidationException>(() => column.Validate(tensor.AsReadOnlyTensorSpan().Slice(.., 2..3)));

        Assert.Equal("features[1,0]: 9 is outside [0, 1]", Assert.Single(exception.Violations).Message);
    }

    [Fact]
    public void Validate_SpanWithMismatchedLengths_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => s_validator.Validate(new float[5], [2, 3]));

        Assert.Equal("lengths", exception.ParamName);
    }

    [Fact]
    public void Create_RulesThatNeedAPipeline_Refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => TensorValidator.Create<float>("features", static v => v.Expect(0, 1, AnomalyAction.Warn)));

        Assert.StartsWith("Must, Object, Drift and expectations that warn or observe need a pipeline (UseValidation); a span validator only blocks.", exception.Message, StringComparison.Ordinal);
    }
}
