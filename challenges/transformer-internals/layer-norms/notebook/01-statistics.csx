// LayerNorm with unit weight and zero bias on activations shaped like a transformer's, (batch 2,
// tokens 4, features 8). Every token's output row should have mean 0 and (biased) variance 1.
using System;
using TorchSharp;
using static TorchSharp.torch;

var ln = new LayerNormalization(8);
var x = randn(new long[] { 2, 4, 8 }, dtype: float64) * 3 + 1;
var y = ln.forward(x);
Show(y.mean(new long[] { -1 }), "mean of each token's output");
Show(y.var(-1, unbiased: false), "variance of each token's output");
