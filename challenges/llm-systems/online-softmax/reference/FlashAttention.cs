using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The online-softmax accumulator of a flash-attention style kernel. It sees the attention scores
/// of one block of keys at a time and keeps, per query, the running maximum m, the running sum
/// l = sum_j exp(s_j - m) and the unnormalised output acc = sum_j exp(s_j - m) v_j.
/// </summary>
public sealed class OnlineSoftmax
{
    /// <summary>Running maximum of the scores seen so far, (B, Tq, 1); -inf before the first block.</summary>
    public Tensor RunningMax { get; private set; }

    /// <summary>Running sum of exp(score - RunningMax), (B, Tq, 1).</summary>
    public Tensor RunningSum { get; private set; }

    /// <summary>Running sum of exp(score - RunningMax) * value, (B, Tq, Dv).</summary>
    public Tensor Accumulator { get; private set; }

    public OnlineSoftmax(long batch, long queries, long valueDim, ScalarType dtype)
    {
        RunningMax = torch.full(new long[] { batch, queries, 1 }, double.NegativeInfinity, dtype: dtype);
        RunningSum = torch.zeros(new long[] { batch, queries, 1 }, dtype: dtype);
        Accumulator = torch.zeros(new long[] { batch, queries, valueDim }, dtype: dtype);
    }

    /// <summary>
    /// Folds in one block of keys: scores (B, Tq, n), already scaled, and their values (B, n, Dv).
    /// </summary>
    public void Update(Tensor scores, Tensor values)
    {
        var blockMax = scores.amax(new long[] { -1 }, keepdim: true);
        var newMax = torch.maximum(RunningMax, blockMax);
        var rescale = torch.exp(RunningMax - newMax);            // 0 before the first block
        var p = torch.exp(scores - newMax);
        RunningSum = RunningSum * rescale + p.sum(-1, keepdim: true);
        Accumulator = Accumulator * rescale + torch.matmul(p, values);
        RunningMax = newMax;
    }

    /// <summary>The normalised output, softmax(scores) @ values over every block seen, (B, Tq, Dv).</summary>
    public Tensor Result() => Accumulator / RunningSum;
}

public static class FlashAttention
{
    /// <summary>
    /// softmax(q kᵀ / sqrt(D)) v, computed block by block over the keys with OnlineSoftmax.
    /// q: (B, Tq, D), k: (B, Tk, D), v: (B, Tk, Dv); returns (B, Tq, Dv).
    /// </summary>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, int blockSize)
    {
        if (blockSize <= 0)
            throw new ArgumentException($"blockSize ({blockSize}) must be positive.");

        long batch = q.shape[0], queries = q.shape[1], keys = k.shape[1];
        double scale = 1.0 / Math.Sqrt(q.shape[2]);
        var state = new OnlineSoftmax(batch, queries, v.shape[2], q.dtype);
        for (long start = 0; start < keys; start += blockSize)
        {
            long n = Math.Min(blockSize, keys - start);
            var kBlock = k.narrow(1, start, n);
            var vBlock = v.narrow(1, start, n);
            var scores = torch.matmul(q, kBlock.transpose(1, 2)) * scale;
            state.Update(scores, vBlock);
        }
        return state.Result();
    }
}
