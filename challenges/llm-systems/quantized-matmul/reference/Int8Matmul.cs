using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// W8A8 quantized linear layer for CPU inference: int8 weights with one symmetric scale per output
/// channel, uint8 activations with one asymmetric (scale, zero point) per tensor, integer
/// accumulation, float64 output.
/// </summary>
public static class Int8Matmul
{
    /// <summary>
    /// Symmetric per-output-channel int8 quantization of w (N, K): scale[n] = max_k |w[n, k]| / 127
    /// (1 for an all-zero row), q = clamp(round(w / scale[n]), -127, 127), rounding half to even.
    /// Returns q (N, K) int8 and scale (N,) float64.
    /// </summary>
    public static (Tensor q, Tensor scale) QuantizeWeights(Tensor w)
    {
        var maxAbs = w.to(torch.float64).abs().amax(new long[] { 1 }, keepdim: true);   // (N, 1)
        var scale = torch.where(maxAbs > 0, maxAbs / 127.0, torch.ones_like(maxAbs));
        var q = torch.round(w / scale).clamp(-127, 127).to(torch.int8);
        return (q, scale.reshape(-1));
    }

    /// <summary>
    /// Asymmetric uint8 calibration of x: the range [min(x, 0), max(x, 0)] maps onto 0..255.
    /// scale = (hi - lo) / 255 (1 when hi = lo), zeroPoint = clamp(round(-lo / scale), 0, 255).
    /// </summary>
    public static (double scale, long zeroPoint) Calibrate(Tensor x)
    {
        double lo = Math.Min(x.min().ToDouble(), 0.0);
        double hi = Math.Max(x.max().ToDouble(), 0.0);
        double scale = hi > lo ? (hi - lo) / 255.0 : 1.0;
        long zeroPoint = (long)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, 255);
        return (scale, zeroPoint);
    }

    /// <summary>q = clamp(round(x / scale) + zeroPoint, 0, 255) as uint8, rounding half to even.</summary>
    public static Tensor QuantizeActivations(Tensor x, double scale, long zeroPoint)
    {
        return (torch.round(x.to(torch.float64) / scale) + zeroPoint).clamp(0, 255).to(torch.uint8);
    }

    /// <summary>
    /// y[m, n] = xScale * wScale[n] * sum_k (xq[m, k] - xZeroPoint) * wq[n, k] + bias[n], with the
    /// sum taken exactly over the integers. xq (M, K) uint8, wq (N, K) int8; returns (M, N) float64.
    /// </summary>
    public static Tensor Linear(Tensor xq, double xScale, long xZeroPoint, Tensor wq, Tensor wScale, Tensor bias)
    {
        var xi = xq.to(torch.float64) - xZeroPoint;
        var acc = torch.matmul(xi, wq.to(torch.float64).t());                       // exact integers
        return acc * (xScale * wScale.reshape(1, -1)) + bias.to(torch.float64).reshape(1, -1);
    }

    /// <summary>Quantizes x (M, K) with its own calibration and w (N, K), then runs Linear.</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor bias)
    {
        var (xScale, xZero) = Calibrate(x);
        var xq = QuantizeActivations(x, xScale, xZero);
        var (wq, wScale) = QuantizeWeights(w);
        return Linear(xq, xScale, xZero, wq, wScale, bias);
    }
}
