// LoadBalancingLoss, float64.
//  - hand-made: T=4, E=3, k=2, with the experts given (not chosen from the probabilities): the loss
//    against alpha * E * sum_e f_e P_e computed here, with alpha 0.05 and 40 (hand, hand_large_alpha);
//  - uniform probabilities give exactly alpha whatever the routing (uniform, alpha);
//  - the gradient with respect to the probabilities is alpha * E * f_e / T for every token
//    (grad_probs, grad_expected);
//  - a sweep of (T, E, k) = (9, 4, 1), (6, 5, 2), (8, 6, 3) with routing from TopK, loss and
//    gradient with respect to the router logits (sweep).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var probs = torch.tensor(new double[]
    {
        0.5, 0.3, 0.2,
        0.1, 0.6, 0.3,
        0.2, 0.2, 0.6,
        0.7, 0.1, 0.2,
    }, dtype: torch.float64).reshape(4, 3).requires_grad_(true);
    var experts = torch.tensor(new long[] { 0, 1, 1, 2, 2, 0, 0, 2 }, dtype: torch.int64).reshape(4, 2);
    var loss = MoeRouter.LoadBalancingLoss(probs, experts, 3, 0.05);
    Observe("hand", loss);
    // f = [3, 2, 3] / 8; P = [1.5, 1.2, 1.3] / 4
    Observe("hand_expected", 0.05 * 3 * (3.0 / 8 * 1.5 / 4 + 2.0 / 8 * 1.2 / 4 + 3.0 / 8 * 1.3 / 4));
    Observe("hand_large_alpha", MoeRouter.LoadBalancingLoss(probs, experts, 3, 40.0));
    Observe("hand_large_alpha_expected", 40.0 * 3 * (3.0 / 8 * 1.5 / 4 + 2.0 / 8 * 1.2 / 4 + 3.0 / 8 * 1.3 / 4));
    var grad = loss.requires_grad ? torch.autograd.grad(new[] { loss }, new[] { probs }, allow_unused: true)[0] : null;
    Observe("grad_probs", grad is null || grad.IsInvalid ? torch.zeros(4, 3, dtype: torch.float64) : grad);
    Observe("grad_expected", torch.tensor(new double[] { 3.0 / 8, 2.0 / 8, 3.0 / 8 }, dtype: torch.float64).reshape(1, 3).expand(4, 3) * (0.05 * 3 / 4));

    var uniform = torch.full(new long[] { 5, 4 }, 0.25, dtype: torch.float64);
    var someRouting = torch.tensor(new long[] { 0, 0, 0, 1, 3, 0, 2, 0, 0, 3 }, dtype: torch.int64).reshape(5, 2);
    Observe("uniform", MoeRouter.LoadBalancingLoss(uniform, someRouting, 4, 0.02));
    Observe("alpha", 0.02);

    var sweep = new List<Tensor>();
    foreach (var (t, e, k) in new (int, int, int)[] { (9, 4, 1), (6, 5, 2), (8, 6, 3) })
    {
        var logits = (torch.randn(new long[] { t, e }, dtype: torch.float64) * 1.5).requires_grad_(true);
        var p = MoeRouter.RouterProbabilities(logits);
        var (ex, _) = MoeRouter.TopK(p, k);
        var l = MoeRouter.LoadBalancingLoss(p, ex, e, 0.01);
        sweep.Add(l.reshape(1));
        var g = l.requires_grad ? torch.autograd.grad(new[] { l }, new[] { logits }, allow_unused: true)[0] : null;
        sweep.Add(g is null || g.IsInvalid ? torch.zeros(t, e, dtype: torch.float64) : g);
    }
    ObserveAll("sweep", sweep);
}
