using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The verification step of speculative sampling (Leviathan et al. 2023; Chen et al. 2023): a
/// draft model proposes G tokens, the target model scores them in one pass, and the accepted
/// prefix plus one more token are emitted, so that the emitted tokens follow the target model's
/// distribution exactly. Vectorised over N independent sequences; the random numbers are inputs.
/// </summary>
public static class Speculative
{
    /// <summary>
    /// The residual distribution norm(max(0, p - q)) over the last axis. Where p equals q (the
    /// residual is all zero) the rejection never happens; p itself is returned there.
    /// </summary>
    public static Tensor Residual(Tensor p, Tensor q)
    {
        var r = (p - q).clamp_min(0.0);
        var total = r.sum(-1, keepdim: true);
        return torch.where(total > 0, r / total, p);
    }

    /// <summary>min(1, p[x] / q[x]) for each draft token x. p, q (N, G, V); tokens (N, G) int64.</summary>
    public static Tensor AcceptProbability(Tensor p, Tensor q, Tensor tokens)
    {
        var index = tokens.unsqueeze(-1);
        var px = p.gather(-1, index).squeeze(-1);
        var qx = q.gather(-1, index).squeeze(-1);
        return (px / qx).clamp_max(1.0);
    }

    /// <summary>
    /// Inverse-CDF sampling: for each row of probs (N, V) and u (N,) in [0, 1), the number of
    /// tokens j whose cumulative probability c_j = probs[0] + ... + probs[j] is at most
    /// u * c_{V-1}, capped at V - 1; that is the first token whose cumulative probability exceeds it.
    /// </summary>
    public static Tensor SampleInverseCdf(Tensor probs, Tensor u)
    {
        var cdf = probs.cumsum(-1);
        var threshold = u.unsqueeze(-1) * cdf.narrow(-1, cdf.shape[^1] - 1, 1);
        return (cdf <= threshold).to(torch.int64).sum(-1).clamp_max(probs.shape[^1] - 1);
    }

    /// <summary>
    /// One verification step for N sequences with G draft tokens each.
    /// draftTokens (N, G) int64, drawn from q; q (N, G, V): the draft's distributions at the G
    /// positions; p (N, G + 1, V): the target's distributions at the same G positions and one more;
    /// acceptU (N, G) and sampleU (N,): uniforms in [0, 1).
    /// Draft i is accepted when acceptU[i] &lt; min(1, p_i[x_i] / q_i[x_i]) and every draft before it
    /// was accepted. Returns accepted (N,), the length of the accepted prefix, and next (N,), the
    /// token emitted after it: drawn from Residual(p_a, q_a) at the first rejected position a, or
    /// from p_G (the extra position) when all G drafts were accepted, by SampleInverseCdf with sampleU.
    /// </summary>
    public static (Tensor accepted, Tensor next) Verify(Tensor draftTokens, Tensor q, Tensor p, Tensor acceptU, Tensor sampleU)
    {
        long n = q.shape[0], g = q.shape[1], v = q.shape[2];
        var ratio = AcceptProbability(p.narrow(1, 0, g), q, draftTokens);
        var accept = (acceptU < ratio).to(torch.int64);
        var prefix = accept.cumprod(1);                           // 1 while every draft so far was accepted
        var accepted = prefix.sum(1);

        var at = accepted.clamp_max(g - 1).reshape(n, 1, 1).expand(n, 1, v);
        var residual = Residual(p.gather(1, at).squeeze(1), q.gather(1, at).squeeze(1));
        var bonus = p.select(1, g);
        var allAccepted = (accepted == g).unsqueeze(-1);
        var next = SampleInverseCdf(torch.where(allAccepted, bonus, residual), sampleU);
        return (accepted, next);
    }
}
