// Int8Matmul.Forward on a small batch: x (M=3, K=5), w (N=4, K=5), bias (4), float64.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var x = torch.randn(new long[] { 3, 5 }, dtype: torch.float64) * 2.0;
    var w = torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    var bias = torch.randn(new long[] { 4 }, dtype: torch.float64);
    Observe("y", Int8Matmul.Forward(x, w, bias));
}
