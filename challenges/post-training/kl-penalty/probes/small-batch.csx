// PenalisedRewards on a small batch, float64, coef = 0.1: B = 2 responses padded to T = 6
// (masks 0 1 1 1 1 0 and 0 0 1 1 1 1), base log-probs within about +-1 of the policy's.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var mask = torch.tensor(new double[] { 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1 }, dtype: torch.float64).reshape(2, 6);
    var policy = -(torch.rand(new long[] { 2, 6 }, dtype: torch.float64) * 3.0);
    var baseModel = policy + (torch.rand(new long[] { 2, 6 }, dtype: torch.float64) - 0.5) * 2.0;
    var rewards = torch.tensor(new double[] { 1.0, -0.5 }, dtype: torch.float64);
    Observe("penalised_rewards", KlPenalty.PenalisedRewards(rewards, policy, baseModel, mask, 0.1));
}
