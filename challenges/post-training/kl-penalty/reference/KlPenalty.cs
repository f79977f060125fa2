using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The KL penalty that keeps an RL-tuned policy close to its base model: KL(policy || base),
/// estimated per token from tokens sampled from the policy, averaged over each response and
/// subtracted from the response's reward.
/// </summary>
public static class KlPenalty
{
    /// <summary>
    /// The k3 estimate of KL(policy || base) for each sampled token: with
    /// log r = log base(x) - log policy(x), k3 = exp(log r) - log r - 1 (never negative; its mean
    /// over tokens drawn from the policy is KL(policy || base)). Same shape as the inputs.
    /// </summary>
    public static Tensor PerToken(Tensor policyLogProbs, Tensor baseLogProbs)
    {
        var logRatio = baseLogProbs - policyLogProbs;
        return logRatio.exp() - logRatio - 1.0;
    }

    /// <summary>
    /// The mean of <see cref="PerToken"/> over each sequence's response tokens: log-probs (B, T),
    /// <paramref name="mask"/> (B, T) 1 on response tokens and 0 elsewhere. Returns (B,).
    /// </summary>
    public static Tensor SequenceKl(Tensor policyLogProbs, Tensor baseLogProbs, Tensor mask)
    {
        var perToken = PerToken(policyLogProbs, baseLogProbs).masked_fill(mask.ne(1), 0);
        return perToken.sum(1) / mask.sum(1);
    }

    /// <summary>
    /// The rewards (B,) the RL trainer optimises: reward - coef * SequenceKl.
    /// </summary>
    public static Tensor PenalisedRewards(Tensor rewards, Tensor policyLogProbs, Tensor baseLogProbs, Tensor mask, double coef)
    {
        var kl = SequenceKl(policyLogProbs, baseLogProbs, mask);
        return rewards - coef * kl;
    }
}
