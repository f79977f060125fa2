// The hand-written gradient on a small problem, float64: N=6 examples, D=3 features, labels 0/1,
// random weights and a non-zero bias.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var X = torch.randn(new long[] { 6, 3 }, dtype: torch.float64);
    var y = torch.tensor(new double[] { 1, 0, 0, 1, 1, 0 }, dtype: torch.float64);
    var w = torch.randn(new long[] { 3 }, dtype: torch.float64);
    var b = torch.tensor(0.7, dtype: torch.float64);
    var (dw, db) = LogisticRegression.Gradient(X, y, w, b);
    Observe("dw", dw);
    Observe("db", db);
}
