// Causality, two ways (B=2, T=6, dModel=12, nHeads=3, cut after position 2):
//  1. replace the tokens at positions 3..5 with fresh random values: outputs at positions 0..2
//     must not change (prefix_original vs prefix_perturbed);
//  2. dependency chart: for every position t, the gradient of the outputs at t w.r.t. the inputs
//     at positions > t must be exactly zero (future_grad_max_abs, the largest such |gradient|).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new CausalSelfAttention(12, 3))
{
    const int B = 2, T = 6, D = 12, Cut = 3; // positions < Cut form the prefix
    layer.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));
    }

    var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
    var future = torch.randn(new long[] { B, T - Cut, D }, dtype: torch.float64);
    var probe = torch.randn(new long[] { B, 1, D }, dtype: torch.float64);

    using (torch.no_grad())
    {
        var xPerturbed = torch.cat(new[] { x.narrow(1, 0, Cut), future }, 1);
        var y = layer.forward(x);
        var y2 = layer.forward(xPerturbed);
        Observe("prefix_original", y.narrow(1, 0, Cut));
        Observe("prefix_perturbed", y2.narrow(1, 0, Cut));
    }

    // Dependency chart: for every position t, d(output at t) / d(inputs at positions > t) must be 0.
    var xg = x.clone().requires_grad_(true);
    var yg = layer.forward(xg);
    double futureGradMaxAbs = 0.0;
    for (int t = 0; t < T - 1; t++)
    {
        var objective = (yg.narrow(1, t, 1) * probe).sum();
        var grad = torch.autograd.grad(new[] { objective }, new[] { xg }, retain_graph: true)[0];
        futureGradMaxAbs = Math.Max(futureGradMaxAbs, grad.narrow(1, t + 1, T - 1 - t).abs().max().item<double>());
    }
    Observe("future_grad_max_abs", futureGradMaxAbs);
}
