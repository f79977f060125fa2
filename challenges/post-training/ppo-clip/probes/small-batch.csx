// The PPO-clip loss on a small batch, float64, clipEps = 0.2: B = 2 responses padded to T = 6
// (mask rows 0 1 1 1 1 0 and 0 0 1 1 1 1), log-ratios in (-0.5, 0.5), advantages from randn.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int B = 2, T = 6;
    var mask = torch.tensor(new double[] { 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1 }, dtype: torch.float64).reshape(B, T);
    var oldLogProbs = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0);
    var logProbs = oldLogProbs + (torch.rand(new long[] { B, T }, dtype: torch.float64) - 0.5);
    var advantages = torch.randn(new long[] { B, T }, dtype: torch.float64);
    Observe("loss", Ppo.ClipLoss(logProbs, oldLogProbs, advantages, mask, 0.2));
}
