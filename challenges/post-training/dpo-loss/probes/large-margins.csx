// Large margins: a policy that has drifted far from the reference, so that beta * margin reaches
// hundreds of nats in either direction (B = 6, T = 10, beta = 0.1 and 1.0).
//  - float64: the losses and the gradients with respect to the policy's log-probs;
//  - float32: the same batch, losses (a confidently wrong pair must cost its margin, not inf).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

Tensor ResponseMask(int T, long[] prompt, long[] response, ScalarType dtype)
{
    var mask = torch.zeros(new long[] { prompt.Length, T }, dtype: dtype);
    for (int b = 0; b < prompt.Length; b++)
        mask[b, TensorIndex.Slice(prompt[b], prompt[b] + response[b])] = torch.tensor(1.0, dtype: dtype);
    return mask;
}

using (var scope = torch.NewDisposeScope())
{
    const int B = 6, T = 10;
    var prompt = new long[] { 1, 2, 3, 2, 1, 4 };
    var chosen = new long[] { 8, 5, 6, 7, 9, 3 };
    var rejected = new long[] { 6, 8, 4, 3, 7, 6 };
    // per-token gaps between policy and reference spanning 1e-3 .. 1e3 nats, both signs
    var gap = WideRange(B, T) / 10.0;
    var pc0 = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 2.0) + gap;
    var pr0 = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 2.0) - gap.flip(1);
    var rc0 = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 2.0);
    var rr0 = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 2.0);

    var losses = new List<Tensor>();
    var inputs = new List<Tensor>();
    foreach (var beta in new[] { 0.1, 1.0 })
    {
        var pc = pc0.clone().requires_grad_(true);
        var pr = pr0.clone().requires_grad_(true);
        losses.Add(Dpo.Loss(pc, pr, rc0, rr0, ResponseMask(T, prompt, chosen, torch.float64), ResponseMask(T, prompt, rejected, torch.float64), beta).reshape(1));
        inputs.Add(pc); inputs.Add(pr);
    }
    ObserveAll("losses_float64", losses);
    ObserveGradients("gradients_float64", torch.cat(losses.ToArray(), 0), inputs.ToArray());

    using (torch.no_grad())
    {
        var f = torch.float32;
        Observe("loss_float32", Dpo.Loss(pc0.to(f), pr0.to(f), rc0.to(f), rr0.to(f),
            ResponseMask(T, prompt, chosen, f), ResponseMask(T, prompt, rejected, f), 0.1).to(torch.float64));
    }
}
