// The PPO-clip loss over a sweep, float64: (B, T, clipEps) = (3, 7, 0.2), (4, 5, 0.1), (2, 11, 0.28),
// (5, 4, 0.2), random response masks (prompt, response, padding), log-ratios in (-0.6, 0.6) with a
// few far outside (up to +-12), advantages of typical and large magnitude.
//  - the losses and d loss / d logProbs, compared with the reference;
//  - the largest |gradient| reaching oldLogProbs or advantages (both are constants of the loss).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

long Draw(long low, long high) => torch.randint(low, high + 1, new long[] { 1 }).item<long>();

using (var scope = torch.NewDisposeScope())
{
    var losses = new List<Tensor>();
    var policy = new List<Tensor>();
    var constants = new List<Tensor>();
    foreach (var (B, T, eps) in new (int, int, double)[] { (3, 7, 0.2), (4, 5, 0.1), (2, 11, 0.28), (5, 4, 0.2) })
    {
        var mask = torch.zeros(new long[] { B, T }, dtype: torch.float64);
        for (int b = 0; b < B; b++)
        {
            var start = Draw(0, T / 2);
            mask[b, TensorIndex.Slice(start, start + Draw(1, T - start))] = torch.tensor(1.0);
        }
        var old = (-(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0)).requires_grad_(true);
        var logRatio = (torch.rand(new long[] { B, T }, dtype: torch.float64) - 0.5) * 1.2;
        logRatio = torch.where(torch.rand(new long[] { B, T }).lt(0.15), torch.randn(new long[] { B, T }, dtype: torch.float64) * 6.0, logRatio);
        var logp = (old.detach() + logRatio).requires_grad_(true);
        var advantages = WideRange(B, T).requires_grad_(true);
        losses.Add(Ppo.ClipLoss(logp, old, advantages, mask, eps).reshape(1));
        policy.Add(logp);
        constants.Add(old); constants.Add(advantages);
    }
    var all = torch.cat(losses.ToArray(), 0);
    ObserveAll("losses", losses);
    ObserveGradients("gradients", all, policy.ToArray());

    double constantGradMaxAbs = 0.0;
    if (all.requires_grad)
    {
        var grads = torch.autograd.grad(new[] { all.sum() }, constants.ToArray(), retain_graph: true, allow_unused: true);
        foreach (var g in grads)
            if (g is not null && !g.IsInvalid)
                constantGradMaxAbs = Math.Max(constantGradMaxAbs, g.abs().max().item<double>());
    }
    Observe("constant_grad_max_abs", constantGradMaxAbs);
}
