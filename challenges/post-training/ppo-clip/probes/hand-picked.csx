// Single tokens at hand-picked ratios around the clip range, float64, clipEps = 0.2: ratios 0.5,
// 0.79, 0.81, 0.95, 1.0, 1.05, 1.19, 1.21, 1.6 and 3.0, and far outside the range 1e-6 and 2e5
// (log-ratios of about -13.8 and +12.2), each with advantage +1.5 and with -0.7.
// Observed: the loss of each token alone, and d loss / d logProbs of each.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var losses = new List<Tensor>();
    var inputs = new List<Tensor>();
    foreach (var advantage in new[] { 1.5, -0.7 })
        foreach (var ratio in new[] { 1e-6, 0.5, 0.79, 0.81, 0.95, 1.0, 1.05, 1.19, 1.21, 1.6, 3.0, 2e5 })
        {
            var old = torch.full(new long[] { 1, 1 }, -1.3, dtype: torch.float64);
            var logp = (old + Math.Log(ratio)).detach().requires_grad_(true);
            var a = torch.full(new long[] { 1, 1 }, advantage, dtype: torch.float64);
            var m = torch.ones(new long[] { 1, 1 }, dtype: torch.float64);
            losses.Add(Ppo.ClipLoss(logp, old, a, m, 0.2).reshape(1));
            inputs.Add(logp);
        }
    ObserveAll("losses", losses);
    ObserveGradients("gradients", torch.cat(losses.ToArray(), 0), inputs.ToArray());
}
