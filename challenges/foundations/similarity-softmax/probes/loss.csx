// ContrastiveLoss, float64:
//  - N = 3, 5 and 8 pairs (D = 4, 6, 3) at temperatures 0.07 and 1, against the reference;
//  - a batch with one padding pair of zeros, and one with a pair of norm about 1e-10;
//  - a sharp temperature (1e-3, logits up to +-1000);
//  - the gradient with respect to the queries and the keys, at temperature 0.1 and at 1e-3.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sweep = new List<Tensor>();
    foreach (var (n, d) in new (long, long)[] { (3, 4), (5, 6), (8, 3) })
    {
        var q = torch.randn(new long[] { n, d }, dtype: torch.float64);
        var k = q + torch.randn(new long[] { n, d }, dtype: torch.float64);
        sweep.Add(Similarity.ContrastiveLoss(q, k, 0.07));
        sweep.Add(Similarity.ContrastiveLoss(q, k, 1.0));
    }
    ObserveAll("loss_sweep", sweep);

    var qp = torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    var kp = qp + 0.3 * torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    qp[2] = torch.zeros(5, dtype: torch.float64);
    kp[2] = torch.zeros(5, dtype: torch.float64);
    Observe("loss_with_padding", Similarity.ContrastiveLoss(qp, kp, 0.1));
    var qt = qp.clone();
    var kt = kp.clone();
    qt[2] = torch.randn(5, dtype: torch.float64) * 1e-10;
    kt[2] = torch.randn(5, dtype: torch.float64) * 1e-10;
    Observe("loss_with_tiny_pair", Similarity.ContrastiveLoss(qt, kt, 0.1));

    var qs = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    var ks = torch.randn(new long[] { 6, 4 }, dtype: torch.float64);
    Observe("loss_sharp", Similarity.ContrastiveLoss(qs, ks, 1e-3));

    var gq = torch.randn(new long[] { 5, 4 }, dtype: torch.float64).requires_grad_(true);
    var gk = torch.randn(new long[] { 5, 4 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("loss_gradient", Similarity.ContrastiveLoss(gq, gk, 0.1), gq, gk);
    var hq = torch.randn(new long[] { 5, 4 }, dtype: torch.float64).requires_grad_(true);
    var hk = torch.randn(new long[] { 5, 4 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("loss_sharp_gradient", Similarity.ContrastiveLoss(hq, hk, 1e-3), hq, hk);
}
