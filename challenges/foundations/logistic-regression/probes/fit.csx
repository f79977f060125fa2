// Fit, float64, on two data sets drawn from a known logistic model:
//  - N=300, D=4, 60 steps at lr 0.5: the fitted w and b, the loss before (w = 0, b = 0) and after;
//  - N=2000, D=3, imbalanced (about 80% label 1), 40 steps at lr 1.0: the fitted w and b;
//  - a single step and zero steps from the start, N=25, D=2.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var X = torch.randn(new long[] { 300, 4 }, dtype: torch.float64);
    var trueW = torch.tensor(new double[] { 1.5, -2.0, 0.5, 0.0 }, dtype: torch.float64);
    var y = (torch.rand(new long[] { 300 }, dtype: torch.float64) < torch.sigmoid(X.matmul(trueW) + 0.3)).to(torch.float64);
    var (w, b) = LogisticRegression.Fit(X, y, 0.5, 60);
    Observe("fit_w", w);
    Observe("fit_b", b);
    var zeroW = torch.zeros(new long[] { 4 }, dtype: torch.float64);
    var zeroB = torch.zeros(new long[0], dtype: torch.float64);
    var lossBefore = LogisticRegression.Loss(X, y, zeroW, zeroB);
    var lossAfter = LogisticRegression.Loss(X, y, w, b);
    Observe("loss_after", lossAfter);
    Observe("loss_drop", (lossBefore - lossAfter).item<double>());

    var X2 = torch.randn(new long[] { 2000, 3 }, dtype: torch.float64);
    var y2 = (torch.rand(new long[] { 2000 }, dtype: torch.float64) < torch.sigmoid(X2.matmul(torch.tensor(new double[] { 0.8, 0.0, -1.2 }, dtype: torch.float64)) + 1.8)).to(torch.float64);
    var (w2, b2) = LogisticRegression.Fit(X2, y2, 1.0, 40);
    ObserveAll("fit_imbalanced", new List<Tensor> { w2, b2 });

    var X3 = torch.randn(new long[] { 25, 2 }, dtype: torch.float64);
    var y3 = (torch.rand(new long[] { 25 }, dtype: torch.float64) < 0.5).to(torch.float64);
    var (w1, b1) = LogisticRegression.Fit(X3, y3, 0.3, 1);
    var (w0, b0) = LogisticRegression.Fit(X3, y3, 0.3, 0);
    ObserveAll("fit_short", new List<Tensor> { w1, b1, w0, b0 });
}
