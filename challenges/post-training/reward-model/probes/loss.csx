// PairwiseLoss and Loss, float64:
//  - PairwiseLoss over a sweep of batch sizes (2, 5, 8) with margins in [0, 2), and its gradient
//    with respect to both rewards;
//  - PairwiseLoss on reward gaps spanning 1e-2 .. 1e4 in both directions (a confidently wrong pair
//    costs its gap, not inf), and its gradient;
//  - Loss on a mixed-padding batch (B = 4, T = 8, head outputs spanning 1e-2 .. 1e4, the
//    rejected ones raised by 30 so the loss is large), and its
//    gradient with respect to the head's outputs of chosen and rejected sequences.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var losses = new List<Tensor>();
    var inputs = new List<Tensor>();
    foreach (var B in new[] { 2, 5, 8 })
    {
        var c = torch.randn(new long[] { B }, dtype: torch.float64).requires_grad_(true);
        var r = torch.randn(new long[] { B }, dtype: torch.float64).requires_grad_(true);
        var m = torch.rand(new long[] { B }, dtype: torch.float64) * 2.0;
        losses.Add(RewardModel.PairwiseLoss(c, r, m).reshape(1));
        inputs.Add(c); inputs.Add(r);
    }
    ObserveAll("pairwise_losses", losses);
    ObserveGradients("pairwise_gradients", torch.cat(losses.ToArray(), 0), inputs.ToArray());

    var gap = WideRange(12);
    var wideChosen = (torch.randn(new long[] { 12 }, dtype: torch.float64) + gap).requires_grad_(true);
    var wideRejected = torch.randn(new long[] { 12 }, dtype: torch.float64).requires_grad_(true);
    var wideLoss = RewardModel.PairwiseLoss(wideChosen, wideRejected, torch.full(new long[] { 12 }, 0.5, dtype: torch.float64));
    Observe("wide_loss", wideLoss);
    ObserveGradients("wide_gradients", wideLoss, wideChosen, wideRejected);

    const int Bm = 4, T = 8;
    var chosenMask = torch.tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0,  0, 0, 0, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1,  0, 0, 0, 0, 0, 0, 1, 1 }).reshape(Bm, T);
    var rejectedMask = torch.tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1,  1, 1, 0, 0, 0, 0, 0, 0,  1, 1, 1, 1, 1, 1, 0, 0,  1, 1, 1, 1, 1, 1, 1, 0 }).reshape(Bm, T);
    var chosenValues = WideRange(Bm, T).requires_grad_(true);
    var rejectedValues = (WideRange(Bm, T) + 30.0).requires_grad_(true);   // a batch the model gets wrong
    var loss = RewardModel.Loss(chosenValues, chosenMask, rejectedValues, rejectedMask, torch.tensor(new double[] { 0, 1, 0.25, 2 }, dtype: torch.float64));
    Observe("batch_loss", loss);
    ObserveGradients("batch_gradients", loss, chosenValues, rejectedValues);
}
