using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The training objective of a pairwise (Bradley-Terry) reward model: the scalar head's output at
/// the last real token of a sequence is its reward, and the chosen response of each pair should
/// out-score the rejected one.
/// </summary>
public static class RewardModel
{
    /// <summary>
    /// The reward of each sequence: <paramref name="values"/> (B, T) is the reward head's output at
    /// every position, <paramref name="attentionMask"/> (B, T) is 1 on real tokens and 0 on
    /// padding, which may be on the left or on the right. Returns (B,), the value at the last
    /// position whose mask is 1.
    /// </summary>
    public static Tensor LastTokenRewards(Tensor values, Tensor attentionMask)
    {
        var positions = torch.arange(values.shape[1], dtype: ScalarType.Int64).expand(values.shape[0], -1);
        var lastIndex = positions.masked_fill(attentionMask.eq(0), -1).amax(new long[] { 1 }, keepdim: true);  // (B, 1)
        return values.gather(1, lastIndex).squeeze(1);
    }

    /// <summary>
    /// Mean over the pairs of -log sigmoid(r_chosen - r_rejected - margin); every argument is (B,).
    /// </summary>
    public static Tensor PairwiseLoss(Tensor chosenRewards, Tensor rejectedRewards, Tensor margin)
    {
        var difference = chosenRewards - rejectedRewards - margin;
        return nn.functional.softplus(-difference).mean();
    }

    /// <summary>
    /// The loss of a batch of pairs from the head's outputs: values and masks (B, T) of the chosen
    /// and of the rejected sequences, and the margin (B,) of each pair.
    /// </summary>
    public static Tensor Loss(Tensor chosenValues, Tensor chosenMask, Tensor rejectedValues, Tensor rejectedMask, Tensor margin)
    {
        var chosen = LastTokenRewards(chosenValues, chosenMask);
        var rejected = LastTokenRewards(rejectedValues, rejectedMask);
        return PairwiseLoss(chosen, rejected, margin);
    }
}
