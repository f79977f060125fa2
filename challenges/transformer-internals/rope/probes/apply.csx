// Apply on a small batch of queries, float64: x (B=2, heads=3, T=5, headDim=8), positions 0..4,
// trained and run at 16 positions (no interpolation).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var rope = new RotaryEmbedding(8, 16, 16);
    var x = torch.randn(new long[] { 2, 3, 5, 8 }, dtype: torch.float64);
    Observe("out", rope.Apply(x));
}
