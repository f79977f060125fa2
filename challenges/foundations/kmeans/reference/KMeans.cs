using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// K-means clustering (Lloyd's algorithm). Points X are (N, D), centroids C are (K, D),
/// assignments are (N,) int64 cluster indices in 0 .. K-1.
/// </summary>
public static class KMeans
{
    /// <summary>Squared Euclidean distances ||x_i - c_k||², (N, K).</summary>
    public static Tensor SquaredDistances(Tensor X, Tensor C)
    {
        var xx = X.pow(2).sum(1, keepdim: true);             // (N, 1)
        var cc = C.pow(2).sum(1).unsqueeze(0);               // (1, K)
        var cross = X.matmul(C.t());                         // (N, K)
        return xx + cc - 2 * cross;
    }

    /// <summary>The nearest centroid of every point, (N,) int64; on a tie, the lower index.</summary>
    public static Tensor Assign(Tensor X, Tensor C)
    {
        using (torch.no_grad())
            return SquaredDistances(X, C).argmin(1);
    }

    /// <summary>
    /// The new centroids, (K, D): each is the mean of the points assigned to it. A cluster with no
    /// point keeps its current centroid.
    /// </summary>
    public static Tensor Update(Tensor X, Tensor assignments, Tensor C)
    {
        long k = C.shape[0];
        var members = nn.functional.one_hot(assignments, k).to(X.dtype);   // (N, K)
        var counts = members.t().sum(1, keepdim: true);                     // (K, 1)
        var means = members.t().matmul(X) / counts.clamp_min(1);            // (K, D)
        return torch.where(counts > 0, means, C);
    }

    /// <summary>The sum over points of the squared distance to their assigned centroid, 0-dimensional.</summary>
    public static Tensor Inertia(Tensor X, Tensor C, Tensor assignments)
    {
        return SquaredDistances(X, C).gather(1, assignments.unsqueeze(1)).sum();
    }

    /// <summary>
    /// <paramref name="iterations"/> rounds of assign-then-update from <paramref name="initial"/>;
    /// returns the final centroids and the assignment of every point to them.
    /// </summary>
    public static (Tensor centroids, Tensor assignments) Fit(Tensor X, Tensor initial, int iterations)
    {
        var C = initial;
        for (int iteration = 0; iteration < iterations; iteration++)
            C = Update(X, Assign(X, C), C);
        return (C, Assign(X, C));
    }
}
