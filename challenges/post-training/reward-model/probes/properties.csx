// Properties of the pairwise loss, float64, B = 6:
//  - equal rewards and no margin: the loss is ln 2 (equal_rewards vs ln2);
//  - swapping chosen and rejected (no margin) changes the loss by exactly the mean reward gap:
//    L(c, r) - L(r, c) = -mean(c - r) (swap_difference vs minus_mean_gap);
//  - a margin m is the same as lowering the chosen rewards by m (with_margin vs shifted_chosen).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    const int B = 6;
    var c = torch.randn(new long[] { B }, dtype: torch.float64) * 1.5;
    var r = torch.randn(new long[] { B }, dtype: torch.float64) * 1.5;
    var zero = torch.zeros(new long[] { B }, dtype: torch.float64);
    Observe("equal_rewards", RewardModel.PairwiseLoss(c, c.clone(), zero));
    Observe("ln2", Math.Log(2.0));
    Observe("swap_difference", RewardModel.PairwiseLoss(c, r, zero) - RewardModel.PairwiseLoss(r, c, zero));
    Observe("minus_mean_gap", -(c - r).mean());
    var m = torch.rand(new long[] { B }, dtype: torch.float64) * 3.0;
    Observe("with_margin", RewardModel.PairwiseLoss(c, r, m));
    Observe("shifted_chosen", RewardModel.PairwiseLoss(c - m, r, zero));
}
