// The reward-model loss on a small batch, float64: B = 3 pairs, right-padded to T = 6 (chosen
// lengths 4, 6, 2; rejected lengths 5, 3, 6), head outputs from randn, margins 0, 0.5, 1.
using System;
using TorchSharp;
using static TorchSharp.torch;

Tensor RightPadded(int T, int[] lengths)
{
    var mask = torch.zeros(new long[] { lengths.Length, T }, dtype: torch.int64);
    for (int b = 0; b < lengths.Length; b++)
        mask[b, TensorIndex.Slice(0, lengths[b])] = torch.tensor(1L);
    return mask;
}

using (var scope = torch.NewDisposeScope())
{
    const int B = 3, T = 6;
    var chosenValues = torch.randn(new long[] { B, T }, dtype: torch.float64);
    var rejectedValues = torch.randn(new long[] { B, T }, dtype: torch.float64);
    var margin = torch.tensor(new double[] { 0, 0.5, 1 }, dtype: torch.float64);
    Observe("loss", RewardModel.Loss(chosenValues, RightPadded(T, new[] { 4, 6, 2 }), rejectedValues, RightPadded(T, new[] { 5, 3, 6 }), margin));
}
