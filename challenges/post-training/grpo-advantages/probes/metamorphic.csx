// Metamorphic properties, float64, eps = 1e-5, N = 18 answers to 4 prompts of sizes 6, 5, 4, 3,
// stored contiguously:
//  - permuting the answers (rewards and group ids alike) permutes the advantages
//    (permuted_input vs permuted_output);
//  - renaming the groups (a permutation of the ids 0..3) changes nothing (renamed vs original);
//  - adding a constant to every reward changes nothing (shifted vs original, up to rounding);
//  - a batch in which every group's answers share one reward, with groups of one answer, gives
//    advantages of exactly 0 (equal_rewards vs zeros);
//  - the advantages carry no gradient even when the rewards require grad (no_gradient).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int N = 18, G = 4;
    const double eps = 1e-5;
    var groups = torch.tensor(new long[] { 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3 }, dtype: torch.int64);
    var rewards = torch.randn(new long[] { N }, dtype: torch.float64);
    var original = Grpo.Advantages(rewards, groups, G, eps);
    Observe("original", original);

    var perm = torch.randperm(N, dtype: torch.int64);
    Observe("permuted_input", Grpo.Advantages(rewards.index_select(0, perm), groups.index_select(0, perm), G, eps));
    Observe("permuted_output", original.index_select(0, perm));

    var rename = torch.tensor(new long[] { 2, 0, 3, 1 }, dtype: torch.int64);
    Observe("renamed", Grpo.Advantages(rewards, rename.index_select(0, groups), G, eps));

    Observe("shifted", Grpo.Advantages(rewards + 3.0, groups, G, eps));

    var equalGroups = torch.tensor(new long[] { 2, 0, 2, 1, 0, 2, 3 }, dtype: torch.int64);
    var groupReward = torch.tensor(new double[] { 1.0, -0.25, 0.0, 7.0 }, dtype: torch.float64);
    Observe("equal_rewards", Grpo.Advantages(groupReward.index_select(0, equalGroups), equalGroups, G, eps));
    Observe("zeros", torch.zeros(new long[] { 7 }, dtype: torch.float64));

    var tracked = rewards.clone().requires_grad_(true);
    Observe("no_gradient", !Grpo.Advantages(tracked, groups, G, eps).requires_grad);
}
