// One padded self-attention layer (d_model 16, 4 heads) on a batch of two sequences, of lengths
// 5 and 3, padded to 5 tokens. The mask is true at real tokens.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var layer = new PaddedSelfAttention(16, 4);
var x = randn(new long[] { 2, 5, 16 });
var mask = tensor(new bool[] { true, true, true, true, true, true, true, true, false, false }, new long[] { 2, 5 });
var y = layer.forward(x, mask);
Show(y[1], "outputs of the second sequence (position, feature)");
