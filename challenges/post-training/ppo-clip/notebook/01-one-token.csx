// One token, clipEps 0.2, at ratios from 0.5 to 1.6, for advantage +1 and advantage -1.
// A healthy PPO-clip loss follows -r*A until the ratio leaves [0.8, 1.2] in the direction the
// advantage rewards, then stays flat there (the gradient is 0): at r = 1.5, A = +1 the loss is -1.2.
using System;
using TorchSharp;
using static TorchSharp.torch;

var one = ones(new long[] { 1, 1 }, dtype: float64);
foreach (var advantage in new[] { 1.0, -1.0 })
    foreach (var r in new[] { 0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5, 1.6 })
    {
        var logp = full(new long[] { 1, 1 }, Math.Log(r), dtype: float64).requires_grad_(true);
        var loss = Ppo.ClipLoss(logp, zeros(new long[] { 1, 1 }, dtype: float64), advantage * one, one, 0.2);
        loss.backward();
        Plot($"loss, advantage {advantage:+0;-0}", r, loss.item<double>());
        Plot($"d loss / d logp, advantage {advantage:+0;-0}", r, logp.grad![0, 0].item<double>());
    }
