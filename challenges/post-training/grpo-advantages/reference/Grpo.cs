using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Group-relative advantages for GRPO: every prompt is answered several times, and each answer's
/// reward is compared with the other answers to the same prompt.
/// </summary>
public static class Grpo
{
    /// <summary>
    /// Advantages (N,) of N sampled answers. <paramref name="rewards"/> is (N,);
    /// <paramref name="groupIds"/> (N,), int64, says which prompt (group 0 .. numGroups - 1) each
    /// answer belongs to, in any order. A_i = (r_i - mean_g) / (std_g + eps) over the answers of
    /// i's group, with the population standard deviation (divide by the group's size).
    /// </summary>
    public static Tensor Advantages(Tensor rewards, Tensor groupIds, long numGroups, double eps)
    {
        using (torch.no_grad())
        {
            var counts = torch.zeros(numGroups, dtype: rewards.dtype).scatter_add(0, groupIds, torch.ones_like(rewards));
            var sums = torch.zeros(numGroups, dtype: rewards.dtype).scatter_add(0, groupIds, rewards);
            var means = sums / counts;
            var centred = rewards - means.index_select(0, groupIds);

            var squares = torch.zeros(numGroups, dtype: rewards.dtype).scatter_add(0, groupIds, centred * centred);
            var stds = (squares / counts).sqrt();
            var sampleStds = stds.index_select(0, groupIds);
            return centred / (sampleStds + eps);
        }
    }
}
