// Quantize a weight matrix whose rows differ in size (row n is about 10^(n-2)) and look at the
// round-trip error of each row, relative to the row's largest weight. Round-to-nearest with a
// scale of max|row| / 127 keeps it below 1/254, about 0.004, on every row.
using System;
using TorchSharp;
using static TorchSharp.torch;

var w = randn(new long[] { 5, 8 }, dtype: float64) * pow(10.0, arange(5, dtype: float64) - 2).reshape(5, 1);
var (wq, wScale) = Int8Matmul.QuantizeWeights(w);
var roundTrip = wq.to(float64) * wScale.reshape(-1, 1);
var relative = (w - roundTrip).abs().amax(new long[] { 1 }) / w.abs().amax(new long[] { 1 });
for (int n = 0; n < 5; n++)
    Console.WriteLine($"row {n}: max |w| = {w[n].abs().max().item<double>():G3}, relative round-trip error = {relative[n].item<double>():F4}");
Show(wq[0], "int8 weights of row 0");
