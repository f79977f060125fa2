// Three well separated blobs of 50 points around (0, 0), (6, 0) and (0, 6); Lloyd's algorithm from
// three of the points. The inertia (sum of squared distances to the assigned centroid) should
// fall and then stay flat, and the centroids should end near the three blob centres.
using System;
using TorchSharp;
using static TorchSharp.torch;

var centres = tensor(new double[] { 0, 0, 6, 0, 0, 6 }, new long[] { 3, 2 }, dtype: float64);
var X = randn(new long[] { 150, 2 }, dtype: float64) + centres.index_select(0, arange(150, dtype: int64) % 3);
var C = X.narrow(0, 0, 3);
for (int round = 0; round < 10; round++)
{
    var a = KMeans.Assign(X, C);
    Plot("inertia after each assignment", round, KMeans.Inertia(X, C, a).item<double>());
    C = KMeans.Update(X, a, C);
}
Show(C, "centroids after 10 rounds");
