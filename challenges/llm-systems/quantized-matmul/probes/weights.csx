// Int8Matmul.QuantizeWeights.
//  - a sweep of shapes (N, K) = (6, 7), (3, 9), (5, 2) whose rows differ in magnitude by up to
//    1e4 (the first has an all-zero row; the last is float32): the integers and the scales;
//  - the rounding error |w - q * scale| / scale, at most 1/2 for round-to-nearest (max_rounding_error);
//  - a hand-made row with ties (scale exactly 1): 63.5 -> 64, -0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var qs = new List<Tensor>();
    var scales = new List<Tensor>();
    double worst = 0.0;
    foreach (var (n, k, f32) in new (int, int, bool)[] { (6, 7, false), (3, 9, false), (5, 2, true) })
    {
        var magnitudes = torch.pow(10.0, torch.arange(n, dtype: torch.float64) % 5 - 2).reshape(n, 1);
        var w = torch.randn(new long[] { n, k }, dtype: torch.float64) * magnitudes;
        if (n == 6) w[2] = torch.zeros(k, dtype: torch.float64);
        if (f32) w = w.to(torch.float32);
        var (q, scale) = Int8Matmul.QuantizeWeights(w);
        qs.Add(q.to(torch.float64));
        scales.Add(scale.to(torch.float64));
        var error = ((w.to(torch.float64) - q.to(torch.float64) * scale.to(torch.float64).reshape(-1, 1)).abs()
                     / scale.to(torch.float64).reshape(-1, 1)).max().item<double>();
        worst = Math.Max(worst, error);
    }
    ObserveAll("wq_sweep", qs);
    ObserveAll("wscale_sweep", scales);
    Observe("max_rounding_error", worst);

    var ties = torch.tensor(new double[] { 127, 63.5, -0.5, 1.5, 2.5, -2.5, -126.5, 0.5, 3.49 }, dtype: torch.float64).reshape(1, 9);
    var (tq, tscale) = Int8Matmul.QuantizeWeights(ties);
    Observe("ties", tq.to(torch.float64));
    Observe("ties_expected", torch.tensor(new double[] { 127, 64, 0, 2, 2, -2, -126, 0, 3 }, dtype: torch.float64).reshape(1, 9));
    Observe("ties_scale", tscale.to(torch.float64));
    Observe("ones", torch.ones(1, dtype: torch.float64));
}
