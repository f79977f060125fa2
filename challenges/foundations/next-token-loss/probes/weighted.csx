// PerSequenceLoss and WeightedLoss, float64, B=4 sequences of T=7 tokens over V=6 of lengths 7, 5,
// 3 and 2 (padding id 0):
//  - PerSequenceLoss against the reference; replacing sequence 3 leaves the others' losses unchanged;
//  - WeightedLoss with (B,) weights and with the same weights shaped (B, 1), against the reference
//    and against each other;
//  - equal weights give the mean of the per-sequence losses;
//  - a second shape, B=3, T=5, V=9, weights (B, 1);
//  - the gradient of WeightedLoss with respect to the logits and the weights;
//  - PerSequenceLoss and WeightedLoss for logits of a few hundred.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = torch.randn(new long[] { 4, 7, 6 }, dtype: torch.float64) * 2.0;
    var tokens = torch.randint(1, 6, new long[] { 4, 7 }, dtype: torch.int64);
    tokens[1, TensorIndex.Slice(5, null)] = 0;
    tokens[2, TensorIndex.Slice(3, null)] = 0;
    tokens[3, TensorIndex.Slice(2, null)] = 0;
    var perSequence = NextTokenLoss.PerSequenceLoss(logits, tokens, 0);
    Observe("per_sequence", perSequence);
    var otherLogits = logits.clone();
    otherLogits[3] = torch.randn(new long[] { 7, 6 }, dtype: torch.float64);
    Observe("per_sequence_first_three", perSequence.narrow(0, 0, 3));
    Observe("per_sequence_first_three_after_change", NextTokenLoss.PerSequenceLoss(otherLogits, tokens, 0).narrow(0, 0, 3));

    var weights = torch.tensor(new double[] { 0.5, 2.0, 1.0, 3.0 }, dtype: torch.float64);
    var flat = NextTokenLoss.WeightedLoss(logits, tokens, 0, weights);
    var column = NextTokenLoss.WeightedLoss(logits, tokens, 0, weights.unsqueeze(1));
    Observe("weighted_flat", flat);
    Observe("weighted_column", column);
    Observe("weighted_equal", NextTokenLoss.WeightedLoss(logits, tokens, 0, torch.full(new long[] { 4, 1 }, 2.5, dtype: torch.float64)));
    Observe("mean_per_sequence", perSequence.mean());

    var logits2 = torch.randn(new long[] { 3, 5, 9 }, dtype: torch.float64);
    var tokens2 = torch.randint(1, 9, new long[] { 3, 5 }, dtype: torch.int64);
    tokens2[0, 4] = 0;
    var weights2 = torch.rand(new long[] { 3, 1 }, dtype: torch.float64) + 0.5;
    Observe("weighted_second_shape", NextTokenLoss.WeightedLoss(logits2, tokens2, 0, weights2));

    var gl = logits.clone().requires_grad_(true);
    var gw = weights.clone().unsqueeze(1).requires_grad_(true);
    ObserveGradients("weighted_gradient", NextTokenLoss.WeightedLoss(gl, tokens, 0, gw), gl, gw);

    var large = logits * 150.0;
    Observe("per_sequence_large_logits", NextTokenLoss.PerSequenceLoss(large, tokens, 0));
    Observe("weighted_large_logits", NextTokenLoss.WeightedLoss(large, tokens, 0, weights.unsqueeze(1)));
}
