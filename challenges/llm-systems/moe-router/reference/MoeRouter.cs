using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The router of a mixture-of-experts layer: a softmax over experts per token, top-k expert
/// selection with renormalised gates, the combination of the chosen experts' outputs, and the
/// Switch Transformer load-balancing auxiliary loss generalised to top-k.
/// </summary>
public static class MoeRouter
{
    /// <summary>softmax over the experts of the router logits (T, E): each token's row sums to 1.</summary>
    public static Tensor RouterProbabilities(Tensor logits)
    {
        var shifted = logits - logits.amax(new long[] { -1 }, keepdim: true);
        var e = shifted.exp();
        return e / e.sum(-1, keepdim: true);
    }

    /// <summary>
    /// The k most probable experts of each token, most probable first (ties: the lower expert id
    /// first), (T, k) int64, and their gates (T, k): the chosen probabilities divided by their sum.
    /// </summary>
    public static (Tensor experts, Tensor gates) TopK(Tensor probs, int k)
    {
        var (sorted, order) = probs.sort(-1, descending: true, stable: true);
        var top = sorted.narrow(-1, 0, k);
        var experts = order.narrow(-1, 0, k);
        var gates = top / top.sum(-1, keepdim: true);
        return (experts, gates);
    }

    /// <summary>
    /// y[t] = sum_j gates[t, j] * expertOutputs[experts[t, j], t]; expertOutputs (E, T, D),
    /// experts and gates (T, k); returns (T, D).
    /// </summary>
    public static Tensor Combine(Tensor expertOutputs, Tensor experts, Tensor gates)
    {
        long t = experts.shape[0], k = experts.shape[1], d = expertOutputs.shape[2];
        var perToken = expertOutputs.permute(1, 0, 2);                               // (T, E, D)
        var chosen = perToken.gather(1, experts.unsqueeze(-1).expand(t, k, d));     // (T, k, D)
        return (gates.unsqueeze(-1) * chosen).sum(1);
    }

    /// <summary>
    /// alpha * E * sum_e f_e * P_e, where f_e is the fraction of the T * k (token, slot)
    /// assignments in experts (T, k) that go to expert e, and P_e is the mean over tokens of
    /// probs[:, e]. f counts (no gradient); the gradient reaches probs through P.
    /// </summary>
    public static Tensor LoadBalancingLoss(Tensor probs, Tensor experts, int numExperts, double alpha)
    {
        long tokens = experts.shape[0], k = experts.shape[1];
        var counts = torch.nn.functional.one_hot(experts.reshape(-1), numExperts).sum(new long[] { 0 }).to(probs.dtype);
        var f = counts / (tokens * k);
        var p = probs.mean(new long[] { 0 });
        return alpha * numExperts * (f * p).sum();
    }
}
