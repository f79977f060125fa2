// SlidingWindow.Attention on a small batch, float64: B=2, H=3, T=7, D=4, window 3.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var q = torch.randn(new long[] { 2, 3, 7, 4 }, dtype: torch.float64);
    var k = torch.randn(new long[] { 2, 3, 7, 4 }, dtype: torch.float64);
    var v = torch.randn(new long[] { 2, 3, 7, 4 }, dtype: torch.float64);
    Observe("out", SlidingWindow.Attention(q, k, v, 3));
}
