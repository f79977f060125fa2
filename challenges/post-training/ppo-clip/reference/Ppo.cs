using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The clipped surrogate objective of PPO (Schulman et al., 2017), per token, as a loss to minimise.
/// </summary>
public static class Ppo
{
    /// <summary>
    /// PPO-clip loss. <paramref name="logProbs"/> (B, T) are the current policy's log-probs of the
    /// sampled tokens (they carry the gradient); <paramref name="oldLogProbs"/> (B, T) are the
    /// log-probs of the policy that sampled them, and <paramref name="advantages"/> (B, T) the
    /// per-token advantages: both are constants of the loss. <paramref name="mask"/> (B, T) is 1 on
    /// response tokens and 0 on prompt and padding. Returns the mean over response tokens of
    /// -min(ratio * A, clip(ratio, 1 - clipEps, 1 + clipEps) * A), ratio = exp(logp - old logp).
    /// </summary>
    public static Tensor ClipLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double clipEps)
    {
        var ratio = (logProbs - oldLogProbs.detach()).exp();
        var constantAdvantages = advantages.detach();
        var unclipped = ratio * constantAdvantages;
        var clipped = ratio.clamp(1.0 - clipEps, 1.0 + clipEps) * constantAdvantages;
        var perToken = -torch.minimum(unclipped, clipped);
        return (perToken * mask).sum() / mask.sum();
    }
}
