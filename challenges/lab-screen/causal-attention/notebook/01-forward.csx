// One causal self-attention layer (d_model 16, 4 heads) on a batch of one sequence of 6 tokens.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var layer = new CausalSelfAttention(16, 4);
var x = randn(new long[] { 1, 6, 16 });
var y = layer.forward(x);
Show(y, "output (batch, position, feature)");
