// The three steps of Lloyd's algorithm, float64:
//  - SquaredDistances over a sweep of (N, K, D) = (7, 3, 2), (20, 5, 4), (4, 6, 3), against the
//    reference and against sum((x - c)^2) computed directly; and for coordinates up to 1e4;
//  - Assign over the same sweep, against the nearest centroid by the direct distances; a point at
//    equal distance from two centroids;
//  - Update over the sweep, and with a cluster that no point is nearest to;
//  - Inertia and its gradient with respect to X and C, and the gradient of SquaredDistances.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var distances = new List<Tensor>();
    var direct = new List<Tensor>();
    var assigned = new List<Tensor>();
    var nearest = new List<Tensor>();
    var updated = new List<Tensor>();
    foreach (var (n, k, d) in new (long, long, long)[] { (7, 3, 2), (20, 5, 4), (4, 6, 3) })
    {
        var X = torch.randn(new long[] { n, d }, dtype: torch.float64) * 2.0;
        var C = torch.randn(new long[] { k, d }, dtype: torch.float64) * 2.0 + 0.5;
        var dist = KMeans.SquaredDistances(X, C);
        var exact = (X.unsqueeze(1) - C.unsqueeze(0)).pow(2).sum(-1);
        distances.Add(dist);
        direct.Add(exact);
        var a = KMeans.Assign(X, C);
        assigned.Add(a.to(torch.float64));
        nearest.Add(exact.argmin(1).to(torch.float64));
        updated.Add(KMeans.Update(X, a, C));
    }
    ObserveAll("distances", distances);
    ObserveAll("distances_direct", direct);
    ObserveAll("assignments", assigned);
    ObserveAll("nearest_direct", nearest);
    ObserveAll("updated", updated);

    var Xw = WideRange(6, 3);
    var Cw = WideRange(4, 3);
    Observe("distances_wide", KMeans.SquaredDistances(Xw, Cw));

    var tieC = torch.tensor(new double[] { 1, 0, -1, 0, 0, 5 }, dtype: torch.float64).reshape(3, 2);
    var tieX = torch.tensor(new double[] { 0, 0, 0, 1, 0.9, 0.1 }, dtype: torch.float64).reshape(3, 2);
    Observe("tie_assignments", KMeans.Assign(tieX, tieC).to(torch.float64));

    // Cluster 2's centroid is far from every point: it is empty after the assignment.
    var Xe = torch.randn(new long[] { 9, 2 }, dtype: torch.float64);
    var Ce = torch.tensor(new double[] { -1, 0, 1, 0, 40, 40, 0, 1 }, dtype: torch.float64).reshape(4, 2);
    var updatedEmpty = KMeans.Update(Xe, KMeans.Assign(Xe, Ce), Ce);
    Observe("update_with_empty", updatedEmpty);
    Observe("empty_after", updatedEmpty.narrow(0, 2, 1));
    Observe("empty_before", Ce.narrow(0, 2, 1));

    var Xg = torch.randn(new long[] { 10, 3 }, dtype: torch.float64).requires_grad_(true);
    var Cg = (torch.randn(new long[] { 4, 3 }, dtype: torch.float64) + 0.3).requires_grad_(true);
    var ag = KMeans.Assign(Xg, Cg);
    Observe("inertia", KMeans.Inertia(Xg, Cg, ag));
    ObserveGradients("inertia_gradient", KMeans.Inertia(Xg, Cg, ag), Xg, Cg);
    ObserveGradients("distances_gradient", KMeans.SquaredDistances(Xg, Cg), Xg, Cg);
    ObserveGradients("update_gradient", KMeans.Update(Xg, ag, Cg), Xg, Cg);
}
