// Assign on a small problem, float64: N=8 points in D=2 around K=3 centroids of different norms.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var C = torch.tensor(new double[] { 0.5, 0.0, 4.0, 4.0, -3.0, 2.0 }, dtype: torch.float64).reshape(3, 2);
    var X = torch.randn(new long[] { 8, 2 }, dtype: torch.float64) * 2.0 + 1.0;
    Observe("assignments", KMeans.Assign(X, C).to(torch.float64));
}
