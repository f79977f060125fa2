using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>The result of one evaluation: mean token NLL (nats), perplexity and its error bar.</summary>
public sealed record PerplexityReport(double MeanNll, double Perplexity, double StandardError, double Lower, double Upper, long Tokens);

/// <summary>
/// Perplexity of a language model over a corpus of variable-length sequences, padded to a batch.
/// Every real token counts once: the corpus NLL is the mean over all real tokens (not over
/// sequences), and the perplexity is exp of it.
/// </summary>
public static class PerplexityEval
{
    /// <summary>
    /// Negative log-likelihood of each target token, (B, T), float64: logits (B, T, V) are the
    /// model's scores for position t, targets (B, T) the int64 token that came next.
    /// </summary>
    public static Tensor TokenNll(Tensor logits, Tensor targets)
    {
        var scores = logits.to_type(ScalarType.Float64);
        var logNormaliser = scores.logsumexp(-1);                                    // (B, T)
        var targetScores = scores.gather(-1, targets.unsqueeze(-1)).squeeze(-1);    // (B, T)
        return logNormaliser - targetScores;
    }

    /// <summary>(B, T) bool, true at the real positions 0 .. lengths[b] - 1 of each sequence.</summary>
    public static Tensor RealTokens(Tensor lengths, long T) =>
        torch.arange(T, device: lengths.device).unsqueeze(0).lt(lengths.unsqueeze(1));

    /// <summary>
    /// Evaluates a padded batch: logits (B, T, V), targets (B, T), lengths (B,) int64. Positions at or
    /// after a sequence's length are padding and do not count.
    /// </summary>
    public static PerplexityReport Evaluate(Tensor logits, Tensor targets, Tensor lengths)
    {
        long T = targets.shape[1];
        var nll = TokenNll(logits, targets);
        var real = RealTokens(lengths, T);
        var scored = nll.masked_select(real);                                        // every real token once
        long tokens = scored.numel();
        if (tokens < 2)
            throw new ArgumentException("the corpus must hold at least two real tokens.");

        double meanNll = scored.mean().item<double>();
        double perplexity = Math.Exp(meanNll);

        // standard error of the mean token NLL: sample standard deviation (n - 1) over sqrt(n)
        double standardError = scored.std(unbiased: true).item<double>() / Math.Sqrt(tokens);

        // 95% interval of the mean NLL, mapped through exp
        return new PerplexityReport(meanNll, perplexity, standardError,
            Math.Exp(meanNll - 1.96 * standardError), Math.Exp(meanNll + 1.96 * standardError), tokens);
    }
}
