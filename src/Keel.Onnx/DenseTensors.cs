using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Onnx;

/// <summary>Reads a <see cref="DenseTensor{T}"/>'s elements in row-major order, whatever its stride order.</summary>
internal static class DenseTensors
{
    /// <summary>
    /// Returns the elements in row-major order: the buffer itself for the usual row-major tensor, a copy for one built
    /// with <c>reverseStride</c> (column-major), so indices in messages and key bytes are the same for equal tensors.
    /// </summary>
    public static ReadOnlySpan<T> RowMajor<T>(DenseTensor<T> tensor)
    {
        var data = tensor.Buffer.Span[..checked((int)tensor.Length)];
        if (!tensor.IsReversedStride || tensor.Rank <= 1)
        {
            return data;
        }

        var dimensions = tensor.Dimensions;
        var strides = tensor.Strides;
        var rowMajor = new T[data.Length];
        Span<int> index = stackalloc int[dimensions.Length];
        for (var i = 0; i < rowMajor.Length; i++)
        {
            var offset = 0;
            for (var d = 0; d < index.Length; d++)
            {
                offset += index[d] * strides[d];
            }

            rowMajor[i] = data[offset];
            for (var d = index.Length - 1; d >= 0 && ++index[d] == dimensions[d]; d--)
            {
                index[d] = 0;
            }
        }

        return rowMajor;
    }
}
