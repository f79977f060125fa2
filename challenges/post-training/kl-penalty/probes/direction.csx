// The direction of the estimate, on hand-made categorical distributions p (policy) and q (base)
// over V tokens: every token x is "sampled" with weight p(x), so sum_x p(x) * PerToken(log p(x),
// log q(x)) is the estimator's exact expectation and must equal KL(p || q) = sum_x p log(p / q).
// Pairs: p = (0.7, 0.2, 0.1) vs q = (0.1, 0.3, 0.6); p = (0.5, 0.5) vs q = (0.9, 0.1); and three
// random pairs of sizes 5, 7, 11 from softmax(2 * randn). float64.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    var pairs = new List<(Tensor p, Tensor q)>
    {
        (torch.tensor(new double[] { 0.7, 0.2, 0.1 }, dtype: torch.float64), torch.tensor(new double[] { 0.1, 0.3, 0.6 }, dtype: torch.float64)),
        (torch.tensor(new double[] { 0.5, 0.5 }, dtype: torch.float64), torch.tensor(new double[] { 0.9, 0.1 }, dtype: torch.float64)),
    };
    foreach (var V in new[] { 5, 7, 11 })
        pairs.Add((torch.softmax(torch.randn(new long[] { V }, dtype: torch.float64) * 2.0, 0), torch.softmax(torch.randn(new long[] { V }, dtype: torch.float64) * 2.0, 0)));

    var expectations = new List<double>();
    var exact = new List<double>();
    var perToken = new List<Tensor>();
    foreach (var (p, q) in pairs)
    {
        var k = KlPenalty.PerToken(p.log().unsqueeze(0), q.log().unsqueeze(0)).squeeze(0);
        perToken.Add(k);
        expectations.Add((p * k).sum().item<double>());
        exact.Add((p * (p.log() - q.log())).sum().item<double>());
    }
    Observe("expected_estimate", torch.tensor(expectations.ToArray(), dtype: torch.float64));
    Observe("kl_policy_to_base", torch.tensor(exact.ToArray(), dtype: torch.float64));
    ObserveAll("per_token", perToken);
}
