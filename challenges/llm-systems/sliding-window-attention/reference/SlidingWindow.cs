using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Causal sliding-window attention (as in Mistral-style local attention): query i sees key j
/// iff i - window &lt; j &lt;= i, that is itself and the window - 1 keys before it.
/// </summary>
public static class SlidingWindow
{
    /// <summary>allowed[i, j] = i - window &lt; j &lt;= i, (T, T) bool.</summary>
    public static Tensor Mask(long length, long window)
    {
        var i = torch.arange(length).unsqueeze(1);
        var j = torch.arange(length).unsqueeze(0);
        var causal = j <= i;                      // no key after the query
        var recent = j > i - window;              // only the last `window` keys
        return causal.logical_and(recent);
    }

    /// <summary>
    /// softmax(q kᵀ / sqrt(D), masked to the window) v for q, k, v (B, H, T, D); window >= 1.
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, long window)
    {
        long length = q.shape[2];
        var scores = torch.matmul(q, k.transpose(-2, -1)) / Math.Sqrt(q.shape[3]);
        var allowed = Mask(length, window).to(q.device);
        scores = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        return torch.matmul(torch.softmax(scores, -1), v);
    }
}

/// <summary>
/// The decoding-time KV cache of sliding-window attention: a ring buffer of `window` slots per
/// (batch, head). The key and value of position p go to slot p % window, overwriting position
/// p - window, which no later query may see.
/// </summary>
public sealed class RollingKvCache
{
    private readonly Tensor _keys;
    private readonly Tensor _values;

    public long Window { get; }

    /// <summary>The number of positions appended so far.</summary>
    public long Count { get; private set; }

    public RollingKvCache(long batch, long heads, long window, long dim)
    {
        if (window < 1)
            throw new ArgumentException("window must be at least 1.");
        Window = window;
        _keys = torch.zeros(new long[] { batch, heads, window, dim }, dtype: torch.float64);
        _values = torch.zeros(new long[] { batch, heads, window, dim }, dtype: torch.float64);
    }

    /// <summary>Stores the key and value of the next position, (B, H, 1, D) each.</summary>
    public void Append(Tensor k, Tensor v)
    {
        long slot = Count % Window;
        using (torch.no_grad())
        {
            _keys.narrow(2, slot, 1).copy_(k);
            _values.narrow(2, slot, 1).copy_(v);
        }
        Count++;
    }

    /// <summary>
    /// The attention output of the query of the latest position, (B, H, 1, D), over the keys of
    /// the last min(Count, Window) positions.
    /// </summary>
    public Tensor Attend(Tensor q)
    {
        var scores = torch.matmul(q, _keys.transpose(-2, -1)) / Math.Sqrt(q.shape[3]);   // (B, H, 1, Window)
        var filled = torch.arange(Window) < Math.Min(Count, Window);
        scores = scores.masked_fill(filled.logical_not(), double.NegativeInfinity);
        return torch.matmul(torch.softmax(scores, -1), _values);
    }
}
