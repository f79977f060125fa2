using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The DPO loss (Direct Preference Optimization) from per-token log-probabilities of a chosen and
/// a rejected response under the policy being trained and under the frozen reference model.
/// </summary>
public static class Dpo
{
    /// <summary>
    /// Log-probability of each response: the sum over the response tokens of
    /// <paramref name="tokenLogProbs"/> (B, T). <paramref name="responseMask"/> (B, T) is 1 on
    /// response tokens and 0 on prompt and padding tokens (whose log-probs, -inf included, do not
    /// count). Returns (B,).
    /// </summary>
    public static Tensor SequenceLogProbs(Tensor tokenLogProbs, Tensor responseMask)
    {
        return tokenLogProbs.masked_fill(responseMask.ne(1), 0).sum(1);
    }

    /// <summary>
    /// Mean over the batch of -log sigmoid(beta * ((pi_c - ref_c) - (pi_r - ref_r))), where pi_c is
    /// the policy's log-probability of the chosen response, ref_r the reference model's of the
    /// rejected one, and so on. All four log-prob tensors are (B, T); the masks are (B, T).
    /// </summary>
    public static Tensor Loss(
        Tensor policyChosen, Tensor policyRejected,
        Tensor referenceChosen, Tensor referenceRejected,
        Tensor chosenMask, Tensor rejectedMask, double beta)
    {
        var policyChosenLogp = SequenceLogProbs(policyChosen, chosenMask);
        var policyRejectedLogp = SequenceLogProbs(policyRejected, rejectedMask);
        var referenceChosenLogp = SequenceLogProbs(referenceChosen, chosenMask);
        var referenceRejectedLogp = SequenceLogProbs(referenceRejected, rejectedMask);

        // The reference model is frozen: its log-probs are constants of the loss.
        var chosenLogRatio = policyChosenLogp - referenceChosenLogp.detach();
        var rejectedLogRatio = policyRejectedLogp - referenceRejectedLogp.detach();

        var logits = beta * (chosenLogRatio - rejectedLogRatio);
        var losses = -nn.functional.logsigmoid(logits);
        return losses.mean();
    }
}
