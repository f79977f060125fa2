// The emitted tokens follow the target distribution: N = 200,000 independent sequences, G = 2
// drafts, V = 6, fixed target distributions p1, p2, p3 and draft distributions q1, q2, drafts
// drawn from q, uniforms from the seeded generator. With a the accepted prefix length:
//  - the first emitted token (x1 if a >= 1, else next) follows p1 (first_token_max_deviation);
//  - given a >= 1, the second emitted token (x2 if a = 2, else next) follows p2 (second_token_max_deviation);
//  - given a = 2, the extra token next follows p3 (bonus_token_max_deviation);
//  - the mean of a equals alpha1 + alpha1 * alpha2, alpha_i = sum_v min(p_i, q_i) (mean_accepted_deviation).
// Each deviation is a largest absolute difference of frequencies; sampling noise is below 0.002.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int N = 200000, G = 2, V = 6;
    var p = torch.tensor(new double[]
    {
        0.35, 0.05, 0.25, 0.05, 0.20, 0.10,
        0.10, 0.30, 0.05, 0.25, 0.10, 0.20,
        0.05, 0.05, 0.40, 0.10, 0.10, 0.30,
    }, dtype: torch.float64).reshape(1, G + 1, V);
    var q = torch.tensor(new double[]
    {
        0.10, 0.30, 0.20, 0.15, 0.05, 0.20,
        0.25, 0.10, 0.20, 0.15, 0.20, 0.10,
    }, dtype: torch.float64).reshape(1, G, V);
    var pN = p.expand(N, G + 1, V);
    var qN = q.expand(N, G, V);
    var u = torch.rand(new long[] { N, G, 1 }, dtype: torch.float64);
    var draft = (qN.cumsum(-1) <= u).to(torch.int64).sum(-1).clamp_max(V - 1);
    var (a, next) = Speculative.Verify(draft, qN, pN, torch.rand(new long[] { N, G }, dtype: torch.float64), torch.rand(new long[] { N }, dtype: torch.float64));

    Tensor Frequencies(Tensor tokens) => torch.nn.functional.one_hot(tokens, V).to(torch.float64).mean(new long[] { 0 });
    var x1 = draft.select(1, 0);
    var x2 = draft.select(1, 1);
    var first = torch.where(a >= 1, x1, next);
    Observe("first_token_max_deviation", (Frequencies(first) - p[0, 0]).abs().max().item<double>());
    var pastFirst = a >= 1;
    var second = torch.where(a >= 2, x2, next).masked_select(pastFirst);
    Observe("second_token_max_deviation", (Frequencies(second) - p[0, 1]).abs().max().item<double>());
    var bonus = next.masked_select(a == 2);
    Observe("bonus_token_max_deviation", (Frequencies(bonus) - p[0, 2]).abs().max().item<double>());
    var alpha1 = torch.minimum(p[0, 0], q[0, 0]).sum().item<double>();
    var alpha2 = torch.minimum(p[0, 1], q[0, 1]).sum().item<double>();
    Observe("mean_accepted_deviation", Math.Abs(a.to(torch.float64).mean().item<double>() - (alpha1 + alpha1 * alpha2)));
}
