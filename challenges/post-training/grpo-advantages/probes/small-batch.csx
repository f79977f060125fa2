// Advantages of a small batch, float64, eps = 1e-4: 3 prompts with 4 answers each, stored
// contiguously (group ids 0 0 0 0 1 1 1 1 2 2 2 2). Group 0 has 0/1 rewards, group 1 continuous
// rewards, group 2 four equal rewards.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var binary = torch.tensor(new double[] { 1, 0, 0, 1 }, dtype: torch.float64);
    var continuous = torch.randn(new long[] { 4 }, dtype: torch.float64);
    var equal = torch.full(new long[] { 4 }, 0.75, dtype: torch.float64);
    var rewards = torch.cat(new[] { binary, continuous, equal }, 0);
    var groups = torch.tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, dtype: torch.int64);
    Observe("advantages", Grpo.Advantages(rewards, groups, 3, 1e-4));
}
