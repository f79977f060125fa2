// The three building blocks on hand-made and random inputs, float64.
//  - Residual: p = [0.5, 0.3, 0.2, 0], q = [0.2, 0.5, 0.1, 0.2] gives [0.75, 0, 0.25, 0];
//    p = q gives p; random (3, 2, 7) distributions (residual_random), whose rows must sum to 1
//    and be 0 wherever p <= q (residual_rows_sum, residual_outside_support);
//  - AcceptProbability: p = [0.1, 0.6, 0.3], q = [0.4, 0.2, 0.4] at tokens 0, 1, 2 gives
//    [0.25, 1, 0.75]; random (4, 3, 5) with random tokens;
//  - SampleInverseCdf: probs [0.2, 0, 0.3, 0.5] (and the same row times 3) at u = 0, 0.1, 0.25,
//    0.49, 0.51, 0.999 gives tokens 0, 0, 2, 2, 3, 3 (token 1 has no mass and is never drawn);
//    probs [0.25, 0, 0.25, 0.5] at u = 0.25, 0.5, 0.75 exactly on the cumulative sums gives 2, 3, 3;
//  - the gradients of Residual and of AcceptProbability with respect to p and q (random inputs).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var p = torch.tensor(new double[] { 0.5, 0.3, 0.2, 0.0 }, dtype: torch.float64);
    var q = torch.tensor(new double[] { 0.2, 0.5, 0.1, 0.2 }, dtype: torch.float64);
    Observe("residual_hand", Speculative.Residual(p, q));
    Observe("residual_hand_expected", torch.tensor(new double[] { 0.75, 0.0, 0.25, 0.0 }, dtype: torch.float64));
    var same = torch.softmax(torch.randn(new long[] { 2, 5 }, dtype: torch.float64), -1);
    Observe("residual_same", Speculative.Residual(same, same.clone()));
    Observe("residual_same_expected", same);

    var pr = torch.softmax(torch.randn(new long[] { 3, 2, 7 }, dtype: torch.float64) * 1.5, -1);
    var qr = torch.softmax(torch.randn(new long[] { 3, 2, 7 }, dtype: torch.float64) * 1.5, -1);
    var rr = Speculative.Residual(pr, qr);
    Observe("residual_random", rr);
    Observe("residual_rows_sum", rr.sum(-1));
    Observe("ones_3x2", torch.ones(new long[] { 3, 2 }, dtype: torch.float64));
    Observe("residual_outside_support", rr.masked_select(pr <= qr).abs().sum());

    var pa = torch.tensor(new double[] { 0.1, 0.6, 0.3 }, dtype: torch.float64).reshape(1, 1, 3).expand(1, 3, 3);
    var qa = torch.tensor(new double[] { 0.4, 0.2, 0.4 }, dtype: torch.float64).reshape(1, 1, 3).expand(1, 3, 3);
    var ta = torch.tensor(new long[] { 0, 1, 2 }, dtype: torch.int64).reshape(1, 3);
    Observe("accept_hand", Speculative.AcceptProbability(pa, qa, ta));
    Observe("accept_hand_expected", torch.tensor(new double[] { 0.25, 1.0, 0.75 }, dtype: torch.float64).reshape(1, 3));
    var pb = torch.softmax(torch.randn(new long[] { 4, 3, 5 }, dtype: torch.float64), -1);
    var qb = torch.softmax(torch.randn(new long[] { 4, 3, 5 }, dtype: torch.float64), -1);
    var tb = torch.randint(0, 5, new long[] { 4, 3 }, dtype: torch.int64);
    Observe("accept_random", Speculative.AcceptProbability(pb, qb, tb));

    // Gradients (the draft is trained to raise its acceptance rate through these two functions).
    var pg = torch.softmax(torch.randn(new long[] { 3, 2, 7 }, dtype: torch.float64) * 1.5, -1).detach().requires_grad_(true);
    var qg = torch.softmax(torch.randn(new long[] { 3, 2, 7 }, dtype: torch.float64) * 1.5, -1).detach().requires_grad_(true);
    ObserveGradients("residual_grad", Speculative.Residual(pg, qg), pg, qg);
    var pbg = pb.detach().requires_grad_(true);
    var qbg = qb.detach().requires_grad_(true);
    ObserveGradients("accept_grad", Speculative.AcceptProbability(pbg, qbg, tb), pbg, qbg);

    var probs = torch.tensor(new double[] { 0.2, 0.0, 0.3, 0.5 }, dtype: torch.float64).reshape(1, 4).expand(6, 4);
    var us = torch.tensor(new double[] { 0.0, 0.1, 0.25, 0.49, 0.51, 0.999 }, dtype: torch.float64);
    var drawn = Speculative.SampleInverseCdf(probs, us);
    var drawnScaled = Speculative.SampleInverseCdf(probs * 3.0, us);
    Observe("sampled", torch.cat(new[] { drawn, drawnScaled }, 0).to(torch.float64));
    Observe("sampled_expected", torch.tensor(new double[] { 0, 0, 2, 2, 3, 3, 0, 0, 2, 2, 3, 3 }, dtype: torch.float64));
    var exactProbs = torch.tensor(new double[] { 0.25, 0.0, 0.25, 0.5 }, dtype: torch.float64).reshape(1, 4).expand(3, 4);
    Observe("sampled_boundary", Speculative.SampleInverseCdf(exactProbs, torch.tensor(new double[] { 0.25, 0.5, 0.75 }, dtype: torch.float64)).to(torch.float64));
    Observe("sampled_boundary_expected", torch.tensor(new double[] { 2, 3, 3 }, dtype: torch.float64));
    var randomProbs = torch.softmax(torch.randn(new long[] { 5, 7 }, dtype: torch.float64) * 2.0, -1);
    Observe("sampled_random", Speculative.SampleInverseCdf(randomProbs, torch.rand(new long[] { 5 }, dtype: torch.float64)).to(torch.float64));
}
