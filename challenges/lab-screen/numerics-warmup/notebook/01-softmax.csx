// Softmax of two rows of logits, the second with large values. Each row of probabilities should
// sum to 1, and both rows should come out the same: softmax does not change when a constant is
// added to every logit.
using System;
using TorchSharp;
using static TorchSharp.torch;

var logits = tensor(new double[] { 1, 2, 3, 1000, 1001, 1002 }, new long[] { 2, 3 }, dtype: float64);
var probabilities = Numerics.Softmax(logits, 1);
Show(probabilities, "Softmax(logits, dim: 1)");
Show(probabilities.sum(1), "sum of each row");
