// LastTokenRewards over a sweep of layouts, float64: (B, T) = (3, 7) right-padded, (4, 6)
// left-padded, (2, 5) without padding, (5, 9) mixed (some rows left-, some right-padded, one
// sequence of a single token), lengths drawn per row; head outputs spanning 1e-2 .. 1e4.
//  - the rewards, compared with the reference (rewards);
//  - the same, compared with the head's output read by the probe at each row's last real token
//    (rewards vs rewards_by_hand);
//  - the gradient of the rewards with respect to the head's outputs;
//  - the rewards after 3 more padding columns on the right and 2 on the left
//    (rewards vs rewards_repadded).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

long Draw(long low, long high) => torch.randint(low, high + 1, new long[] { 1 }).item<long>();

using (var scope = torch.NewDisposeScope())
{
    var rewards = new List<Tensor>();
    var byHand = new List<Tensor>();
    var repadded = new List<Tensor>();
    var inputs = new List<Tensor>();
    foreach (var (B, T, layout) in new (int, int, string)[] { (3, 7, "right"), (4, 6, "left"), (2, 5, "none"), (5, 9, "mixed") })
    {
        var values = WideRange(B, T).requires_grad_(true);
        var mask = torch.zeros(new long[] { B, T }, dtype: torch.int64);
        var expected = torch.zeros(new long[] { B }, dtype: torch.float64);
        for (int b = 0; b < B; b++)
        {
            long length = layout == "none" ? T : (layout == "mixed" && b == 2 ? 1 : Draw(1, T - 1));
            bool left = layout == "left" || (layout == "mixed" && b % 2 == 1);
            long start = left ? T - length : 0;
            mask[b, TensorIndex.Slice(start, start + length)] = torch.tensor(1L);
            expected[b] = values[b, start + length - 1].detach();
        }
        var r = RewardModel.LastTokenRewards(values, mask);
        rewards.Add(r);
        byHand.Add(expected);
        inputs.Add(values);

        var padValues = torch.cat(new[] { torch.randn(new long[] { B, 2 }, dtype: torch.float64), values.detach(), torch.randn(new long[] { B, 3 }, dtype: torch.float64) }, 1);
        var padMask = torch.cat(new[] { torch.zeros(new long[] { B, 2 }, dtype: torch.int64), mask, torch.zeros(new long[] { B, 3 }, dtype: torch.int64) }, 1);
        repadded.Add(RewardModel.LastTokenRewards(padValues, padMask));
    }
    ObserveAll("rewards", rewards);
    ObserveAll("rewards_by_hand", byHand);
    ObserveAll("rewards_repadded", repadded);
    ObserveGradients("reward_gradients", torch.cat(rewards.ToArray(), 0), inputs.ToArray());
}
