using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Numerical helpers shared by the training code: softmax, log-sum-exp, the classification loss
/// and the regression loss. Everything works for float32 and float64 and stays differentiable.
/// </summary>
public static class Numerics
{
    /// <summary>
    /// Softmax of <paramref name="logits"/> along <paramref name="dim"/> (negative dims count from
    /// the end). Same shape as the input; the entries along <paramref name="dim"/> sum to 1.
    /// </summary>
    public static Tensor Softmax(Tensor logits, long dim)
    {
        // Shift by the maximum so exp() never overflows; the shift cancels in the ratio.
        var shifted = logits - logits.max(dim, keepdim: true).values;
        var exp = shifted.exp();
        return exp / exp.sum(dim, keepdim: true);
    }

    /// <summary>
    /// log(sum(exp(x))) along <paramref name="dim"/>, without overflow or underflow. The dimension
    /// is removed: (B, C) with dim 1 gives (B,).
    /// </summary>
    public static Tensor LogSumExp(Tensor x, long dim)
    {
        // float32 overflows at exp(88); compute in float64 and convert back.
        return x.to_type(ScalarType.Float64).exp().sum(dim).log().to_type(x.dtype);
    }

    /// <summary>
    /// Mean cross-entropy of raw (unnormalised) <paramref name="logits"/> (B, C) against class
    /// indices <paramref name="targets"/> (B,), int64: mean over i of -log softmax(logits[i])[targets[i]].
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets)
    {
        var logNormaliser = LogSumExp(logits, 1);                                  // (B,)
        var targetLogits = logits.gather(1, targets.unsqueeze(1)).squeeze(1);      // (B,): logits[i, targets[i]]
        return (logNormaliser - targetLogits).mean();
    }

    /// <summary>
    /// Mean squared error between <paramref name="predictions"/>, (B, 1) from a regression head or
    /// (B,), and <paramref name="targets"/> (B,): mean over i of (predictions[i] - targets[i])^2.
    /// </summary>
    public static Tensor MeanSquaredError(Tensor predictions, Tensor targets)
    {
        if (predictions.numel() != targets.numel())
            throw new ArgumentException($"predictions have {predictions.numel()} values but targets have {targets.numel()}.");

        var diff = predictions.reshape(-1) - targets.reshape(-1);                  // (B,) - (B,), never (B, B)
        return (diff * diff).mean();
    }
}
