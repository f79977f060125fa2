// Combine and the whole router, float64.
//  - Combine of expert outputs (E=4, T=5, D=3) with hand-made experts and gates (k=2), against
//    the sum computed here token by token (combine, combine_expected), and with k = 3 and k = 1
//    on random routing (combine_k, combine_k_expected);
//  - end to end: logits -> RouterProbabilities -> TopK (k=2) -> Combine, plus the load-balancing
//    loss; the output and the gradients of output and loss with respect to the logits and the
//    expert outputs, T=7, E=5, D=3 (forward, gradients);
//  - the same with wide-range logits and expert outputs (magnitudes 1e-2 to 1e4) (forward_wide).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var outputs = torch.randn(new long[] { 4, 5, 3 }, dtype: torch.float64);
    var experts = torch.tensor(new long[] { 0, 3, 2, 1, 1, 0, 3, 2, 2, 3 }, dtype: torch.int64).reshape(5, 2);
    var gates = torch.tensor(new double[] { 0.7, 0.3, 0.6, 0.4, 0.55, 0.45, 0.9, 0.1, 0.5, 0.5 }, dtype: torch.float64).reshape(5, 2);
    Observe("combine", MoeRouter.Combine(outputs, experts, gates));
    var expected = torch.zeros(new long[] { 5, 3 }, dtype: torch.float64);
    for (int t = 0; t < 5; t++)
        for (int j = 0; j < 2; j++)
            expected[t] += gates[t, j] * outputs[experts[t, j].item<long>(), t];
    Observe("combine_expected", expected);

    // k = 3 and k = 1 on the same expert outputs.
    var combos = new List<Tensor>();
    var combosExpected = new List<Tensor>();
    foreach (var k in new[] { 3, 1 })
    {
        var ek = torch.randint(0, 4, new long[] { 5, k }, dtype: torch.int64);
        var gk = torch.softmax(torch.randn(new long[] { 5, k }, dtype: torch.float64), -1);
        combos.Add(MoeRouter.Combine(outputs, ek, gk));
        var expectedK = torch.zeros(new long[] { 5, 3 }, dtype: torch.float64);
        for (int t = 0; t < 5; t++)
            for (int j = 0; j < k; j++)
                expectedK[t] += gk[t, j] * outputs[ek[t, j].item<long>(), t];
        combosExpected.Add(expectedK);
    }
    ObserveAll("combine_k", combos);
    ObserveAll("combine_k_expected", combosExpected);

    var logits = (torch.randn(new long[] { 7, 5 }, dtype: torch.float64) * 1.5).requires_grad_(true);
    var expertOut = torch.randn(new long[] { 5, 7, 3 }, dtype: torch.float64).requires_grad_(true);
    var probs = MoeRouter.RouterProbabilities(logits);
    var (ex, g) = MoeRouter.TopK(probs, 2);
    var y = MoeRouter.Combine(expertOut, ex, g);
    var aux = MoeRouter.LoadBalancingLoss(probs, ex, 5, 0.01);
    Observe("forward", y);
    ObserveGradients("gradients", torch.cat(new[] { y.reshape(-1), aux.reshape(1) * 50.0 }, 0), logits, expertOut);

    var wideLogits = WideRange(6, 5);
    var wp = MoeRouter.RouterProbabilities(wideLogits);
    var (we, wg) = MoeRouter.TopK(wp, 2);
    Observe("forward_wide", torch.cat(new[] { MoeRouter.Combine(WideRange(5, 6, 3), we, wg).reshape(-1), wg.reshape(-1) }, 0));
}
