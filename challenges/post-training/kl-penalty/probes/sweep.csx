// SequenceKl and PenalisedRewards over a sweep, float64: (B, T, coef) = (3, 7, 0.1), (4, 5, 0.05),
// (2, 11, 1.0), (5, 4, 0.2); response masks drawn per row; log-ratios of typical size and a few
// large ones (up to about +-25 nats).
//  - the sequence KLs and the penalised rewards, compared with the reference;
//  - the gradients of the sequence KLs with respect to the policy's and the base's log-probs, and
//    of the penalised rewards with respect to the rewards and both log-probs.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

long Draw(long low, long high) => torch.randint(low, high + 1, new long[] { 1 }).item<long>();

using (var scope = torch.NewDisposeScope())
{
    var kls = new List<Tensor>();
    var penalised = new List<Tensor>();
    var inputs = new List<Tensor>();
    var rewardInputs = new List<Tensor>();
    foreach (var (B, T, coef) in new (int, int, double)[] { (3, 7, 0.1), (4, 5, 0.05), (2, 11, 1.0), (5, 4, 0.2) })
    {
        var mask = torch.zeros(new long[] { B, T }, dtype: torch.float64);
        for (int b = 0; b < B; b++)
        {
            var start = Draw(0, T / 2);
            mask[b, TensorIndex.Slice(start, start + Draw(1, T - start))] = torch.tensor(1.0);
        }
        var policy = (-(torch.rand(new long[] { B, T }, dtype: torch.float64) * 4.0)).requires_grad_(true);
        var gap = torch.where(torch.rand(new long[] { B, T }).lt(0.2), torch.randn(new long[] { B, T }, dtype: torch.float64) * 12.0,
            torch.randn(new long[] { B, T }, dtype: torch.float64) * 0.5);
        var baseModel = (policy.detach() + gap).requires_grad_(true);
        var rewards = torch.randn(new long[] { B }, dtype: torch.float64).requires_grad_(true);
        var kl = KlPenalty.SequenceKl(policy, baseModel, mask);
        kls.Add(kl);
        penalised.Add(KlPenalty.PenalisedRewards(rewards, policy, baseModel, mask, coef));
        inputs.Add(policy); inputs.Add(baseModel);
        rewardInputs.Add(rewards); rewardInputs.Add(policy); rewardInputs.Add(baseModel);
    }
    ObserveAll("sequence_kl", kls);
    ObserveAll("penalised_rewards", penalised);
    ObserveGradients("kl_gradients", torch.cat(kls.ToArray(), 0), inputs.ToArray());
    ObserveGradients("penalised_gradients", torch.cat(penalised.ToArray(), 0), rewardInputs.ToArray());
}
