// RouterProbabilities and TopK, float64.
//  - probabilities over a sweep of shapes (T, E) = (7, 4), (3, 8), (1, 5), and of wide-range
//    logits (magnitudes 1e-2 to 1e4) (probs_sweep); their row sums (must be 1);
//  - TopK with k = 1, 2, 3 over (T=7, E=5) probabilities: experts and gates (topk_sweep); the gate
//    sums (must be 1);
//  - hand-made ties: probs [0.3, 0.3, 0.2, 0.2] with k = 3 gives experts [0, 1, 2] and gates
//    [0.375, 0.375, 0.25].
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var probsList = new List<Tensor>();
    var sums = new List<Tensor>();
    var onesList = new List<Tensor>();
    foreach (var (t, e) in new (int, int)[] { (7, 4), (3, 8), (1, 5) })
    {
        var p = MoeRouter.RouterProbabilities(torch.randn(new long[] { t, e }, dtype: torch.float64) * 2.0);
        probsList.Add(p);
        sums.Add(p.sum(-1));
        onesList.Add(torch.ones(t, dtype: torch.float64));
    }
    var wide = MoeRouter.RouterProbabilities(WideRange(4, 6));
    probsList.Add(wide);
    sums.Add(wide.sum(-1));
    onesList.Add(torch.ones(4, dtype: torch.float64));
    ObserveAll("probs_sweep", probsList);
    ObserveAll("probs_row_sums", sums);
    ObserveAll("probs_ones", onesList);

    var probs = MoeRouter.RouterProbabilities(torch.randn(new long[] { 7, 5 }, dtype: torch.float64) * 1.5);
    var topk = new List<Tensor>();
    var gateSums = new List<Tensor>();
    var gateOnes = new List<Tensor>();
    foreach (var k in new[] { 1, 2, 3 })
    {
        var (experts, gates) = MoeRouter.TopK(probs, k);
        topk.Add(experts.to(torch.float64));
        topk.Add(gates);
        gateSums.Add(gates.sum(-1));
        gateOnes.Add(torch.ones(7, dtype: torch.float64));
    }
    ObserveAll("topk_sweep", topk);
    ObserveAll("gate_sums", gateSums);
    ObserveAll("gate_ones", gateOnes);

    var ties = torch.tensor(new double[] { 0.3, 0.3, 0.2, 0.2 }, dtype: torch.float64).reshape(1, 4);
    var (te, tg) = MoeRouter.TopK(ties, 3);
    Observe("ties", torch.cat(new[] { te.to(torch.float64), tg }, 1));
    Observe("ties_expected", torch.tensor(new double[] { 0, 1, 2, 0.375, 0.375, 0.25 }, dtype: torch.float64).reshape(1, 6));
}
