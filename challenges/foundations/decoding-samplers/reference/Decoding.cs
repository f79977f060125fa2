using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Next-token decoding for the text generator: temperature, top-k and top-p (nucleus) filtering,
/// and sampling. Logits and probabilities are (..., V): token ids on the last axis, any number of
/// leading axes (batch rows, beams, positions).
/// </summary>
public static class Decoding
{
    /// <summary>The logits divided by <paramref name="temperature"/> (T &gt; 0).</summary>
    public static Tensor ApplyTemperature(Tensor logits, double temperature)
    {
        if (temperature <= 0)
            throw new ArgumentException($"temperature must be positive here, got {temperature}.");
        return logits / temperature;
    }

    /// <summary>
    /// Bool mask of the k most likely tokens of each row (all of them when k &gt;= V); equally
    /// likely tokens are ranked by increasing token id.
    /// </summary>
    public static Tensor TopKMask(Tensor probs, int k)
    {
        if (k <= 0)
            throw new ArgumentException($"k must be positive, got {k}.");
        using (torch.no_grad())
        {
            var order = probs.sort(-1, descending: true, stable: true).Indices;  // token ids, most likely first
            var ranks = order.argsort(-1);                                       // rank of each token id
            return ranks < k;
        }
    }

    /// <summary>
    /// Bool mask of the nucleus of each row: the smallest set of most likely tokens whose
    /// cumulative probability reaches <paramref name="p"/>. The token that crosses p is kept;
    /// equally likely tokens are ranked by increasing token id.
    /// </summary>
    public static Tensor TopPMask(Tensor probs, double p)
    {
        if (p <= 0 || p > 1)
            throw new ArgumentException($"p must be in (0, 1], got {p}.");
        using (torch.no_grad())
        {
            var order = probs.sort(-1, descending: true, stable: true).Indices;  // token ids, most likely first
            var sorted = probs.gather(-1, order);
            var before = sorted.cumsum(-1) - sorted;          // mass of the tokens ranked above each one
            var keepSorted = before < p;
            return keepSorted.gather(-1, order.argsort(-1));  // back to token-id order
        }
    }

    /// <summary>
    /// The distribution the next token is drawn from: softmax of the logits at
    /// <paramref name="temperature"/>, restricted to the top-k tokens (topK 0: no limit), then to
    /// the nucleus of that distribution (topP 1: no limit), renormalised after each step.
    /// Temperature 0 is greedy decoding: all the mass on the most likely token (lowest id on ties).
    /// </summary>
    public static Tensor NextTokenProbabilities(Tensor logits, double temperature, int topK, double topP)
    {
        if (temperature == 0)
            return nn.functional.one_hot(logits.argmax(-1), logits.shape[^1]).to(logits.dtype);

        var probs = nn.functional.softmax(ApplyTemperature(logits, temperature), -1);
        if (topK > 0)
            probs = Renormalise(probs * TopKMask(probs, topK));
        if (topP < 1.0)
            probs = Renormalise(probs * TopPMask(probs, topP));
        return probs;
    }

    /// <summary>One token id per row of (B, V) logits, (B,) int64, drawn from <see cref="NextTokenProbabilities"/>.</summary>
    public static Tensor Sample(Tensor logits, double temperature, int topK, double topP, Generator generator)
    {
        using (torch.no_grad())
        {
            var probs = NextTokenProbabilities(logits, temperature, topK, topP);
            return torch.multinomial(probs, 1, replacement: true, generator: generator).reshape(-1);
        }
    }

    private static Tensor Renormalise(Tensor probs) => probs / probs.sum(-1, keepdim: true);
}
