// Loss and PredictProba, float64:
//  - the loss over a sweep of sizes (N, D) = (9, 2), (30, 4), (4, 6), and its autograd gradient
//    with respect to X, w and b on (9, 2);
//  - confident predictions: logits up to about +-800, right and wrong (the loss must stay finite);
//  - the probabilities for logits of typical and large magnitude, and the gradient of a weighted
//    sum of PredictProba with respect to X, w and b.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var losses = new List<Tensor>();
    foreach (var (n, d) in new (long, long)[] { (9, 2), (30, 4), (4, 6) })
    {
        var Xs = torch.randn(new long[] { n, d }, dtype: torch.float64);
        var ys = (torch.rand(new long[] { n }, dtype: torch.float64) < 0.5).to(torch.float64);
        losses.Add(LogisticRegression.Loss(Xs, ys, torch.randn(new long[] { d }, dtype: torch.float64), torch.tensor(0.3, dtype: torch.float64)));
    }
    ObserveAll("loss_sweep", losses);

    var X = torch.randn(new long[] { 9, 2 }, dtype: torch.float64).requires_grad_(true);
    var y = torch.tensor(new double[] { 1, 0, 1, 0, 0, 1, 1, 1, 0 }, dtype: torch.float64);
    var w = torch.randn(new long[] { 2 }, dtype: torch.float64).requires_grad_(true);
    var b = torch.tensor(-0.4, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("loss_autograd", LogisticRegression.Loss(X, y, w, b), X, w, b);

    var Xc = torch.tensor(new double[] { 400, 1, -300, 2, 5, -0.5, 0.1, 0.2 }, dtype: torch.float64).reshape(4, 2);
    var yc = torch.tensor(new double[] { 0, 0, 1, 1 }, dtype: torch.float64);
    var wc = torch.tensor(new double[] { 2.0, 1.0 }, dtype: torch.float64);
    Observe("loss_confident", LogisticRegression.Loss(Xc, yc, wc, torch.tensor(0.5, dtype: torch.float64)));

    var Xp = torch.cat(new[] { torch.randn(new long[] { 6, 3 }, dtype: torch.float64), WideRange(6, 3) * 0.01 }, 0);
    Observe("proba", LogisticRegression.PredictProba(Xp, torch.tensor(new double[] { 0.5, -1.0, 0.25 }, dtype: torch.float64), torch.tensor(0.1, dtype: torch.float64)));

    var Xq = torch.randn(new long[] { 7, 3 }, dtype: torch.float64).requires_grad_(true);
    var wq = torch.randn(new long[] { 3 }, dtype: torch.float64).requires_grad_(true);
    var bq = torch.tensor(0.6, dtype: torch.float64).requires_grad_(true);
    ObserveGradients("proba_gradient", LogisticRegression.PredictProba(Xq, wq, bq), Xq, wq, bq);
}
