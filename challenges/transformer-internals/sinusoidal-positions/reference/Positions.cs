using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Fixed sinusoidal position encodings ("Attention Is All You Need", section 3.5), added to token
/// embeddings before the first layer. Feature 2i of position p is sin(p / 10000^(2i/d)) and feature
/// 2i+1 is cos(p / 10000^(2i/d)); positions count from 0.
/// </summary>
public static class SinusoidalPositions
{
    /// <summary>
    /// The encodings of positions start .. start+length-1, a float64 tensor (length, dModel). An odd
    /// dModel ends with a sin feature.
    /// </summary>
    public static Tensor Table(long length, long dModel, long start = 0)
    {
        if (length <= 0 || dModel <= 0 || start < 0)
            throw new ArgumentException($"length ({length}) and dModel ({dModel}) must be > 0, and start ({start}) >= 0.");

        var positions = torch.arange(start, start + length, dtype: torch.float64).unsqueeze(1);  // (length, 1)
        var pairIndex = torch.arange((dModel + 1) / 2, dtype: torch.float64);                   // i = 0, 1, ...
        var frequencies = torch.exp(2 * pairIndex * (-Math.Log(10000.0) / dModel));           // 10000^(-2i/d)
        var angles = positions * frequencies;                                                   // (length, ceil(d/2))

        // interleave: feature 2i = sin, feature 2i+1 = cos; an odd dModel drops the last cos
        var table = torch.stack(new[] { angles.sin(), angles.cos() }, -1).reshape(length, -1);
        return table.narrow(1, 0, dModel);
    }

    /// <summary>
    /// Adds the encodings of positions start .. start+T-1 to embeddings (B, T, dModel), in the
    /// embeddings' dtype; the result has the same shape and dtype.
    /// </summary>
    public static Tensor AddTo(Tensor embeddings, long start = 0)
    {
        long T = embeddings.shape[1], dModel = embeddings.shape[2];
        var table = Table(T, dModel, start).to(embeddings.dtype).to(embeddings.device);
        return embeddings + table.unsqueeze(0);
    }
}
