// Properties, float64, B = 3, T = 8, coef = 0.3:
//  - every per-token estimate is >= 0 (smallest_per_token);
//  - policy = base: every sequence KL is 0 and the penalised rewards are the rewards
//    (kl_when_equal vs zeros, penalised_when_equal vs rewards);
//  - changing both log-probs at mask-0 positions, some to -1e4, changes nothing (kl vs
//    kl_outside_changed);
//  - padding with 4 more masked columns changes nothing (kl vs kl_padded);
//  - a larger coefficient lowers the penalised rewards by exactly the extra coef times the KL
//    (coef_difference vs extra_penalty).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    const int B = 3, T = 8;
    var mask = torch.tensor(new double[] { 0, 0, 1, 1, 1, 1, 1, 0,  0, 1, 1, 1, 0, 0, 0, 0,  0, 0, 0, 1, 1, 1, 1, 1 }, dtype: torch.float64).reshape(B, T);
    var policy = -(torch.rand(new long[] { B, T }, dtype: torch.float64) * 3.0);
    var baseModel = policy + torch.randn(new long[] { B, T }, dtype: torch.float64);
    var rewards = torch.randn(new long[] { B }, dtype: torch.float64);

    Observe("smallest_per_token", KlPenalty.PerToken(policy, baseModel).min().item<double>());

    Observe("kl_when_equal", KlPenalty.SequenceKl(policy, policy.clone(), mask));
    Observe("zeros", torch.zeros(new long[] { B }, dtype: torch.float64));
    Observe("penalised_when_equal", KlPenalty.PenalisedRewards(rewards, policy, policy.clone(), mask, 0.3));
    Observe("rewards", rewards);

    var kl = KlPenalty.SequenceKl(policy, baseModel, mask);
    Observe("kl", kl);
    Tensor Outside(Tensor x) => x + (1.0 - mask) * torch.randn(new long[] { B, T }, dtype: torch.float64) * 2.0;
    // the last column, padding in two rows of three, also gets a policy log-prob of -1e4 there,
    // as some trainers leave at padded positions (the estimate overflows to inf at those positions)
    var lastPadding = torch.zeros(new long[] { B, T }, dtype: torch.@bool);
    lastPadding[TensorIndex.Colon, T - 1] = torch.tensor(true);
    lastPadding = lastPadding.logical_and(mask.eq(0));
    Observe("kl_outside_changed", KlPenalty.SequenceKl(Outside(policy).masked_fill(lastPadding, -1e4), Outside(baseModel), mask));
    Tensor Pad(Tensor x) => torch.cat(new[] { x, -(torch.rand(new long[] { B, 4 }, dtype: torch.float64) * 5.0) }, 1);
    var paddedMask = torch.cat(new[] { mask, torch.zeros(new long[] { B, 4 }, dtype: torch.float64) }, 1);
    Observe("kl_padded", KlPenalty.SequenceKl(Pad(policy), Pad(baseModel), paddedMask));

    Observe("coef_difference", KlPenalty.PenalisedRewards(rewards, policy, baseModel, mask, 0.3) - KlPenalty.PenalisedRewards(rewards, policy, baseModel, mask, 0.8));
    Observe("extra_penalty", 0.5 * kl);
}
