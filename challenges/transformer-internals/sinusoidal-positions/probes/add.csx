// AddTo on token embeddings:
//  - float32 embeddings (B=3, T=5, d=6) from position 0, and float64 (B=2, T=7, d=9) from position 4,
//    (B=1, T=3, d=4) from 0, and float64 embeddings of magnitude up to 1e4 (WideRange) from 1: the
//    sums, and whether the float32 result stays float32;
//  - the gradient of a weighted sum of AddTo's output w.r.t. float64 embeddings.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var e32 = torch.randn(new long[] { 3, 5, 6 }, dtype: torch.float32);
    var out32 = SinusoidalPositions.AddTo(e32);
    Observe("float32_stays_float32", out32.dtype == torch.float32);
    Observe("sum_float32", out32.to_type(torch.float64));

    var e64 = torch.randn(new long[] { 2, 7, 9 }, dtype: torch.float64);
    var e64b = torch.randn(new long[] { 1, 3, 4 }, dtype: torch.float64);
    var wide = WideRange(2, 3, 5) * torch.randn(new long[] { 2, 3, 5 }, dtype: torch.float64).sign();
    ObserveAll("sums_float64", new List<Tensor> { SinusoidalPositions.AddTo(e64, 4), SinusoidalPositions.AddTo(e64b), SinusoidalPositions.AddTo(wide, 1) });

    var x = torch.randn(new long[] { 2, 4, 6 }, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("embedding_gradient", SinusoidalPositions.AddTo(x, 2), x);
}
