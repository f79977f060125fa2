// Lloyd's algorithm, float64, on N=60 points from K=4 blobs in D=3, starting from 4 points of the
// data set:
//  - the inertia after every assignment and every update over 8 rounds (it must never increase:
//    the largest increase is observed);
//  - Fit(X, initial, 8) against the reference, and its gradient with respect to X and initial;
//  - Fit on the same points in another order: the same centroids, the permuted assignments;
//  - Fit with 5 clusters where one initial centroid is far away (that cluster stays empty);
//  - Fit for 0, 1 and 2 rounds from four initial centroids inside the same blob (far from
//    converged).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var centres = torch.tensor(new double[] { 0, 0, 0, 5, 0, 1, 0, 5, -2, -4, 3, 3 }, dtype: torch.float64).reshape(4, 3);
    var blob = torch.arange(60, dtype: torch.int64) % 4;
    var X = torch.randn(new long[] { 60, 3 }, dtype: torch.float64) + centres.index_select(0, blob);
    var initial = X.index_select(0, torch.tensor(new long[] { 0, 1, 4, 5 }, dtype: torch.int64));

    double largestIncrease = double.NegativeInfinity;
    double previous = double.PositiveInfinity;
    var C = initial;
    for (int round = 0; round < 8; round++)
    {
        var a = KMeans.Assign(X, C);
        double afterAssign = KMeans.Inertia(X, C, a).item<double>();
        C = KMeans.Update(X, a, C);
        double afterUpdate = KMeans.Inertia(X, C, a).item<double>();
        if (round > 0) largestIncrease = Math.Max(largestIncrease, afterAssign - previous);
        largestIncrease = Math.Max(largestIncrease, afterUpdate - afterAssign);
        previous = afterUpdate;
    }
    Observe("largest_inertia_increase", largestIncrease);

    var (centroids, assignments) = KMeans.Fit(X, initial, 8);
    Observe("fit_centroids", centroids);
    Observe("fit_assignments", assignments.to(torch.float64));

    var perm = torch.randperm(60, dtype: torch.int64);
    var (centroidsPerm, assignmentsPerm) = KMeans.Fit(X.index_select(0, perm), initial, 8);
    Observe("permuted_centroids", centroidsPerm);
    Observe("centroids", centroids);
    Observe("permuted_assignments", assignmentsPerm.to(torch.float64));
    Observe("assignments_permuted", assignments.index_select(0, perm).to(torch.float64));

    var Xg = X.clone().requires_grad_(true);
    var ig = initial.clone().requires_grad_(true);
    var far = torch.tensor(new double[] { 50, 50, 50 }, dtype: torch.float64).reshape(1, 3);
    var fitGrad = KMeans.Fit(Xg, ig, 3).centroids;
    ObserveGradients("fit_gradient", fitGrad, Xg, ig);

    var initialFive = torch.cat(new[] { initial, far }, 0);
    var (five, fiveAssignments) = KMeans.Fit(X, initialFive, 6);
    Observe("fit_with_empty", five);
    var fg = initialFive.clone().requires_grad_(true);
    ObserveGradients("fit_with_empty_gradient", KMeans.Fit(X, fg, 4).centroids, fg);

    var crowded = X.index_select(0, torch.tensor(new long[] { 0, 4, 8, 12 }, dtype: torch.int64));
    var early = new List<Tensor>();
    foreach (var rounds in new[] { 0, 1, 2 })
    {
        var (c, a) = KMeans.Fit(X, crowded, rounds);
        early.Add(c);
        early.Add(a.to(torch.float64));
    }
    ObserveAll("fit_first_rounds", early);
}
