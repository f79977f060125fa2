// Properties of the DPO loss, float64, B = 4 pairs padded to T = 8, beta = 0.25:
//  - policy = reference: the loss is exactly ln 2 (policy_equals_reference vs ln2);
//  - swapping chosen and rejected raises the mean loss by exactly beta times the mean margin,
//    where margin = (pi_c - ref_c) - (pi_r - ref_r) over the response tokens
//    (swap_difference vs beta_mean_margin);
//  - changing the log-probs of prompt and padding tokens (mask 0), some of them to -inf, leaves
//    the loss unchanged (loss vs loss_prompt_changed).
using System;
using TorchSharp;
using static TorchSharp.torch;

Tensor ResponseMask(int T, long[] prompt, long[] response)
{
    var mask = torch.zeros(new long[] { prompt.Length, T }, dtype: torch.float64);
    for (int b = 0; b < prompt.Length; b++)
        mask[b, TensorIndex.Slice(prompt[b], prompt[b] + response[b])] = torch.tensor(1.0);
    return mask;
}

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    const int B = 4, T = 8;
    const double beta = 0.25;
    var prompt = new long[] { 2, 1, 3, 2 };
    var chosenMask = ResponseMask(T, prompt, new long[] { 5, 3, 4, 6 });
    var rejectedMask = ResponseMask(T, prompt, new long[] { 3, 6, 2, 4 });
    Tensor LogProbs() => -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0);
    var pc = LogProbs(); var pr = LogProbs(); var rc = LogProbs(); var rr = LogProbs();

    Observe("policy_equals_reference", Dpo.Loss(pc, pr, pc.clone(), pr.clone(), chosenMask, rejectedMask, beta));
    Observe("ln2", Math.Log(2.0));

    var loss = Dpo.Loss(pc, pr, rc, rr, chosenMask, rejectedMask, beta);
    var swapped = Dpo.Loss(pr, pc, rr, rc, rejectedMask, chosenMask, beta);
    var margin = ((pc - rc) * chosenMask).sum(1) - ((pr - rr) * rejectedMask).sum(1);
    Observe("swap_difference", swapped - loss);
    Observe("beta_mean_margin", beta * margin.mean());

    // prompt and padding positions get other values; the last column, padding in every row but
    // one, gets -inf there (a padded position's log-prob as some trainers leave it)
    var lastColumn = torch.zeros(new long[] { B, T }, dtype: torch.@bool);
    lastColumn[TensorIndex.Colon, T - 1] = torch.tensor(true);
    Tensor ChangeOutside(Tensor logProbs, Tensor mask) =>
        (logProbs + (1.0 - mask) * (torch.rand(new long[] { B, T }, dtype: torch.float64) * -5.0))
            .masked_fill(lastColumn.logical_and(mask.eq(0)), double.NegativeInfinity);
    Observe("loss", loss);
    Observe("loss_prompt_changed", Dpo.Loss(ChangeOutside(pc, chosenMask), ChangeOutside(pr, rejectedMask),
        ChangeOutside(rc, chosenMask), ChangeOutside(rr, rejectedMask), chosenMask, rejectedMask, beta));
}
