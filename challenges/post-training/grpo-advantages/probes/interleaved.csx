// Advantages over a sweep of batches, float64, whose answers are interleaved in random order and
// whose groups have different sizes (one group of one answer, one group of equal rewards):
// (N, groups, eps) = (12, 3, 1e-4), (20, 6, 1e-6), (7, 2, 1e-2), (33, 5, 1e-4), (160, 2, 1e-3),
// the last with one outlier in a group of 150 answers. Observed:
//  - the advantages, compared with the reference;
//  - the largest |mean of the advantages| of any group;
//  - with eps = 1e-9, the population standard deviation of the advantages of each group whose
//    rewards differ (std_of_groups), next to ones.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

(Tensor rewards, Tensor groups) Batch(int N, int G)
{
    // every group gets at least one answer; the rest are assigned at random, then shuffled
    var ids = torch.cat(new[] { torch.arange(G, dtype: torch.int64), torch.randint(0, G, new long[] { N - G }, dtype: torch.int64) }, 0);
    var rewards = torch.randn(new long[] { N }, dtype: torch.float64) * 2.0 + 1.0;
    // group 0: a single answer; group 1: equal rewards
    ids = torch.where(ids.eq(0), torch.ones_like(ids), ids);
    ids[0] = 0;
    rewards = torch.where(ids.eq(1), torch.full_like(rewards, 0.5), rewards);
    var order = torch.randperm(N, dtype: torch.int64);
    return (rewards.index_select(0, order), ids.index_select(0, order));
}

using (var scope = torch.NewDisposeScope())
{
    var cases = new List<Tensor>();
    double worstMean = 0.0;
    var stds = new List<double>();
    foreach (var (N, G, eps) in new (int, int, double)[] { (12, 3, 1e-4), (20, 6, 1e-6), (7, 2, 1e-2), (33, 5, 1e-4), (160, 2, 1e-3) })
    {
        var (rewards, groups) = Batch(N, G);
        if (N == 160)
        {
            // two groups: the single answer (group 0) and 159 answers, one of them far off
            groups = torch.where(groups.eq(0), groups, torch.ones_like(groups));
            rewards = torch.where(groups.eq(1), torch.randn(new long[] { N }, dtype: torch.float64) * 0.1, rewards);
            var outlier = groups.eq(1).nonzero()[7, 0].item<long>();
            rewards[outlier] = torch.tensor(40.0, dtype: torch.float64);
        }
        var advantages = Grpo.Advantages(rewards, groups, G, eps);
        cases.Add(advantages);

        var precise = Grpo.Advantages(rewards, groups, G, 1e-9);
        for (int g = 0; g < G; g++)
        {
            var member = groups.eq(g);
            if (member.sum().item<long>() == 0) continue;
            var a = advantages.masked_select(member);
            worstMean = Math.Max(worstMean, Math.Abs(a.mean().item<double>()));
            var r = rewards.masked_select(member);
            if ((r.max() - r.min()).item<double>() > 1e-6)
            {
                var p = precise.masked_select(member);
                stds.Add(p.pow(2).mean().sqrt().item<double>());
            }
        }
    }
    ObserveAll("advantages", cases);
    Observe("worst_group_mean", worstMean);
    Observe("std_of_groups", torch.tensor(stds.ToArray(), dtype: torch.float64));
    Observe("ones", torch.ones(new long[] { stds.Count }, dtype: torch.float64));
}
