using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Rotary position embeddings (RoPE) for queries and keys, with position interpolation for running a
/// model on contexts longer than it was trained on. Features are rotated in interleaved pairs
/// (x[2i], x[2i+1]) by the angle m * theta^(-2i/headDim) at position m.
/// </summary>
public sealed class RotaryEmbedding
{
    public int HeadDim { get; }
    public int TrainLength { get; }
    public int TargetLength { get; }
    public double Theta { get; }

    public RotaryEmbedding(int headDim, int trainLength, int targetLength, double theta = 10000.0)
    {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new ArgumentException($"headDim ({headDim}) must be positive and even.");
        if (trainLength <= 0 || targetLength <= 0 || theta <= 1.0)
            throw new ArgumentException("trainLength and targetLength must be positive and theta greater than 1.");

        HeadDim = headDim;
        TrainLength = trainLength;
        TargetLength = targetLength;
        Theta = theta;
    }

    /// <summary>
    /// Position interpolation: positions are multiplied by TrainLength / TargetLength when the target
    /// context is longer than the training context, and left alone otherwise.
    /// </summary>
    public double PositionScale => TargetLength > TrainLength ? (double)TrainLength / TargetLength : 1.0;

    /// <summary>
    /// Rotates x (..., T, headDim), e.g. (B, heads, T, headDim), whose rows are the positions
    /// start .. start+T-1. Same shape and dtype as x.
    /// </summary>
    public Tensor Apply(Tensor x, long start = 0)
    {
        long T = x.shape[x.dim() - 2];
        long half = HeadDim / 2;

        // angle of pair i at position m: (m * scale) * theta^(-2i / headDim), (T, headDim / 2)
        var positions = torch.arange(start, start + T, dtype: torch.float64) * PositionScale;
        var exponents = torch.arange(0, HeadDim, 2, dtype: torch.float64) / HeadDim;
        var inverseFrequencies = torch.exp(-Math.Log(Theta) * exponents);
        var angles = torch.outer(positions, inverseFrequencies);
        var cos = angles.cos().to(x.dtype).to(x.device);
        var sin = angles.sin().to(x.dtype).to(x.device);

        // interleaved pairs: (..., T, headDim) -> (..., T, headDim / 2, 2)
        var pairShape = x.shape.Take((int)x.dim() - 1).Concat(new[] { half, 2L }).ToArray();
        var pairs = x.reshape(pairShape);
        var first = pairs.select(-1, 0);
        var second = pairs.select(-1, 1);

        var rotatedFirst = first * cos - second * sin;
        var rotatedSecond = first * sin + second * cos;
        return torch.stack(new[] { rotatedFirst, rotatedSecond }, -1).reshape(x.shape);
    }
}
