// The DPO loss on a small batch, float64, beta = 0.1: B = 3 pairs padded to T = 7 tokens.
// Each pair shares its prompt (lengths 2, 3, 1); the chosen responses have 4, 3, 5 tokens and the
// rejected ones 2, 4, 6; the rest is padding. Log-probs are drawn in [-3, 0).
using System;
using TorchSharp;
using static TorchSharp.torch;

Tensor ResponseMask(int T, int[] prompt, int[] response)
{
    var mask = torch.zeros(new long[] { prompt.Length, T }, dtype: torch.float64);
    for (int b = 0; b < prompt.Length; b++)
        mask[b, TensorIndex.Slice(prompt[b], prompt[b] + response[b])] = torch.tensor(1.0);
    return mask;
}

using (var scope = torch.NewDisposeScope())
{
    const int B = 3, T = 7;
    var prompt = new[] { 2, 3, 1 };
    var chosenMask = ResponseMask(T, prompt, new[] { 4, 3, 5 });
    var rejectedMask = ResponseMask(T, prompt, new[] { 2, 4, 6 });
    Tensor LogProbs() => -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0);
    var policyChosen = LogProbs();
    var policyRejected = LogProbs();
    var referenceChosen = LogProbs();
    var referenceRejected = LogProbs();
    Observe("loss", Dpo.Loss(policyChosen, policyRejected, referenceChosen, referenceRejected, chosenMask, rejectedMask, 0.1));
}
