// The DPO loss over a sweep of shapes and betas, float64: (B, T) = (2, 5), (4, 9), (5, 6), (3, 12)
// with beta 0.1, 0.5, 2.0, 0.05; prompt and response lengths drawn per pair, the rest padding.
//  - the losses, compared with the reference;
//  - the gradients with respect to the policy's chosen and rejected log-probs;
//  - the largest |gradient| that reaches the reference model's log-probs (it is frozen).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

Tensor ResponseMask(int T, long[] prompt, long[] response)
{
    var mask = torch.zeros(new long[] { prompt.Length, T }, dtype: torch.float64);
    for (int b = 0; b < prompt.Length; b++)
        mask[b, TensorIndex.Slice(prompt[b], prompt[b] + response[b])] = torch.tensor(1.0);
    return mask;
}

long Draw(long low, long high) => torch.randint(low, high + 1, new long[] { 1 }).item<long>();

using (var scope = torch.NewDisposeScope())
{
    var losses = new List<Tensor>();
    var policy = new List<Tensor>();
    var reference = new List<Tensor>();
    foreach (var (B, T, beta) in new (int, int, double)[] { (2, 5, 0.1), (4, 9, 0.5), (5, 6, 2.0), (3, 12, 0.05) })
    {
        var prompt = new long[B];
        var chosen = new long[B];
        var rejected = new long[B];
        for (int b = 0; b < B; b++)
        {
            prompt[b] = Draw(1, T / 2);
            chosen[b] = Draw(1, T - prompt[b]);
            rejected[b] = Draw(1, T - prompt[b]);
        }
        var chosenMask = ResponseMask(T, prompt, chosen);
        var rejectedMask = ResponseMask(T, prompt, rejected);
        Tensor LogProbs() => (-(torch.rand(new long[] { B, T }, dtype: torch.float64) * 4.0)).requires_grad_(true);
        var pc = LogProbs(); var pr = LogProbs(); var rc = LogProbs(); var rr = LogProbs();
        losses.Add(Dpo.Loss(pc, pr, rc, rr, chosenMask, rejectedMask, beta).reshape(1));
        policy.Add(pc); policy.Add(pr);
        reference.Add(rc); reference.Add(rr);
    }
    var all = torch.cat(losses.ToArray(), 0);
    ObserveAll("losses", losses);
    ObserveGradients("policy_gradients", all, policy.ToArray());

    double referenceGradMaxAbs = 0.0;
    if (all.requires_grad)
    {
        var grads = torch.autograd.grad(new[] { all.sum() }, reference.ToArray(), retain_graph: true, allow_unused: true);
        foreach (var g in grads)
            if (g is not null && !g.IsInvalid)
                referenceGradMaxAbs = Math.Max(referenceGradMaxAbs, g.abs().max().item<double>());
    }
    Observe("reference_grad_max_abs", referenceGradMaxAbs);
}
