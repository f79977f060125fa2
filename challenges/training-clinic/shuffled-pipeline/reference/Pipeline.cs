using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Per-feature standardisation: (x - mean) / std, with the mean and the population standard
/// deviation of each feature of the data it was fitted on.
/// </summary>
public sealed class Standardiser
{
    /// <summary>Per-feature mean, shape (1, F).</summary>
    public Tensor Mean { get; private init; } = null!;

    /// <summary>Per-feature population standard deviation, shape (1, F).</summary>
    public Tensor Std { get; private init; } = null!;

    /// <summary>Fits the statistics of (N, F) data, one per feature (column); they are constants.</summary>
    public static Standardiser Fit(Tensor data)
    {
        using (torch.no_grad())
        {
            var mean = data.mean(new long[] { 0 }, keepdim: true);
            var std = (data - mean).pow(2).mean(new long[] { 0 }, keepdim: true).sqrt();
            return new Standardiser { Mean = mean, Std = std };
        }
    }

    /// <summary>Standardises (N, F) data with the fitted statistics; differentiable in the data.</summary>
    public Tensor Transform(Tensor data) => (data - Mean) / Std;
}

/// <summary>The input pipeline of the sensor classifier.</summary>
public static class Pipeline
{
    /// <summary>
    /// Standardises the training and the test features, both with the statistics of the training set.
    /// </summary>
    public static (Tensor Train, Tensor Test) Standardise(Tensor train, Tensor test)
    {
        var scaler = Standardiser.Fit(train);
        return (scaler.Transform(train), scaler.Transform(test));
    }

    /// <summary>
    /// One epoch of shuffled mini-batches of (inputs (N, F), labels (N,)): the examples in the order
    /// of one permutation torch.randperm(N, generator), cut into batches of batchSize; the last
    /// batch holds the remaining N % batchSize examples when batchSize does not divide N.
    /// </summary>
    public static List<(Tensor Inputs, Tensor Labels)> Batches(Tensor inputs, Tensor labels, int batchSize, Generator generator)
    {
        if (batchSize < 1 || inputs.shape[0] != labels.shape[0])
            throw new ArgumentException("batchSize must be positive and inputs and labels must have as many rows.");

        long n = inputs.shape[0];
        var order = torch.randperm(n, generator: generator);
        var shuffledInputs = inputs.index_select(0, order);
        var shuffledLabels = labels.index_select(0, order);

        var batches = new List<(Tensor Inputs, Tensor Labels)>();
        for (long start = 0; start < n; start += batchSize)
        {
            long size = Math.Min(batchSize, n - start);
            batches.Add((shuffledInputs.narrow(0, start, size), shuffledLabels.narrow(0, start, size)));
        }
        return batches;
    }
}
