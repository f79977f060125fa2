// The two losses on a small batch, float64: cross-entropy of (B=4, C=7) logits against int64
// class indices, and mean squared error of a (B, 1) regression head against (B,) targets.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int B = 4, C = 7;
    var logits = torch.randn(new long[] { B, C }, dtype: torch.float64) * 2.0;
    var classes = torch.tensor(new long[] { 3, 0, 6, 2 }, dtype: torch.int64);
    Observe("cross_entropy", Numerics.CrossEntropy(logits, classes));

    var predictions = torch.randn(new long[] { B, 1 }, dtype: torch.float64);
    var targets = torch.randn(new long[] { B }, dtype: torch.float64);
    Observe("mse", Numerics.MeanSquaredError(predictions, targets));
}
