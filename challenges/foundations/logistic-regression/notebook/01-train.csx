// Gradient descent by hand on 400 points from two overlapping blobs (labels 0 and 1, about 30% of
// them label 1). The loss starts at ln 2 = 0.693 (w = 0, b = 0) and should fall steadily.
using System;
using TorchSharp;
using static TorchSharp.torch;

var labels = (rand(new long[] { 400 }, dtype: float64) < 0.3).to(float64);
var X = randn(new long[] { 400, 2 }, dtype: float64) + labels.unsqueeze(1) * tensor(new double[] { 2.0, 1.0 }, dtype: float64);
var w = zeros(new long[] { 2 }, dtype: float64);
var b = zeros(new long[0], dtype: float64);
for (int step = 0; step < 100; step++)
{
    Plot("training loss", step, LogisticRegression.Loss(X, labels, w, b).item<double>());
    var (dw, db) = LogisticRegression.Gradient(X, labels, w, b);
    w = w - 0.5 * dw;
    b = b - 0.5 * db;
}
