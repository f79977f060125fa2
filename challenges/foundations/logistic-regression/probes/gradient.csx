// The hand-written gradient, float64, against the reference and against the loss itself:
//  - a sweep of problem sizes (N, D) = (7, 3), (40, 5), (200, 2), (3, 9), bias of either sign;
//  - on (N=40, D=5): the autograd gradient of Loss with respect to w and b, and central finite
//    differences of Loss (h = 1e-6) along each weight and the bias, next to the hand gradient;
//  - features spread over 1e-2 .. 1e4 (wide-range inputs).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sweep = new List<Tensor>();
    var sizes = new (long n, long d, double bias)[] { (7, 3, 0.8), (40, 5, -1.3), (200, 2, 0.4), (3, 9, -0.6) };
    foreach (var (n, d, bias) in sizes)
    {
        var Xs = torch.randn(new long[] { n, d }, dtype: torch.float64);
        var ys = (torch.rand(new long[] { n }, dtype: torch.float64) < 0.4).to(torch.float64);
        var ws = torch.randn(new long[] { d }, dtype: torch.float64);
        var (dws, dbs) = LogisticRegression.Gradient(Xs, ys, ws, torch.tensor(bias, dtype: torch.float64));
        sweep.Add(dws);
        sweep.Add(dbs);
    }
    ObserveAll("gradient_sweep", sweep);

    var X = torch.randn(new long[] { 40, 5 }, dtype: torch.float64) * 1.5;
    var y = (torch.rand(new long[] { 40 }, dtype: torch.float64) < 0.5).to(torch.float64);
    var w = torch.randn(new long[] { 5 }, dtype: torch.float64);
    var b = torch.tensor(-0.9, dtype: torch.float64);
    var (dw, db) = LogisticRegression.Gradient(X, y, w, b);
    Observe("hand_dw", dw);
    Observe("hand_db", db.reshape(1));

    var wg = w.clone().requires_grad_(true);
    var bg = b.clone().requires_grad_(true);
    var grads = torch.autograd.grad(new[] { LogisticRegression.Loss(X, y, wg, bg) }, new[] { wg, bg });
    Observe("autograd_dw", grads[0]);
    Observe("autograd_db", grads[1].reshape(1));

    const double h = 1e-6;
    var fd = torch.zeros(new long[] { 6 }, dtype: torch.float64);
    for (int j = 0; j < 6; j++)
    {
        var step = torch.zeros(new long[] { 6 }, dtype: torch.float64);
        step[j] = h;
        var plus = LogisticRegression.Loss(X, y, w + step.narrow(0, 0, 5), b + step[5]).item<double>();
        var minus = LogisticRegression.Loss(X, y, w - step.narrow(0, 0, 5), b - step[5]).item<double>();
        fd[j] = (plus - minus) / (2 * h);
    }
    Observe("finite_differences", fd);
    Observe("hand_gradient", torch.cat(new[] { dw, db.reshape(1) }, 0));

    var Xw = WideRange(12, 3);
    var yw = torch.tensor(new double[] { 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1 }, dtype: torch.float64);
    var ww = torch.randn(new long[] { 3 }, dtype: torch.float64) * 1e-3;
    var (dwWide, dbWide) = LogisticRegression.Gradient(Xw, yw, ww, torch.tensor(0.2, dtype: torch.float64));
    ObserveAll("gradient_wide", new List<Tensor> { dwWide, dbWide });
}
