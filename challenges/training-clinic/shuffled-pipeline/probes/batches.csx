// Pipeline.Batches over a sweep of (N, batch size): (13, 4), (12, 5), (7, 7), (10, 3), (9, 10),
// (17, 6), F = 3, generator seeded from the probe's seed, two epochs per case. Feature 0 of example
// i is i and its label is i. Observed per case and epoch, concatenated over the sweep:
//  - the batch sizes; the labels and all the features in batch order (against the reference);
//  - feature 0 and the label in batch order (pairs must be preserved);
//  - the labels of the epoch sorted, and 0..N-1 (every example exactly once);
//  - the number of examples in the epoch, and N;
//  - the gradient of a weighted sum of the batches' inputs w.r.t. the inputs (N = 11, batch 4).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

Tensor Cat(System.Collections.Generic.IEnumerable<Tensor> parts)
{
    var list = parts.ToArray();
    return list.Length == 0 ? torch.zeros(0, dtype: torch.float64) : torch.cat(list, 0);
}

using (var scope = torch.NewDisposeScope())
{
    var sizes = new List<double>();
    var labelOrder = new List<Tensor>();
    var features = new List<Tensor>();
    var feature0 = new List<Tensor>();
    var sortedLabels = new List<Tensor>();
    var expectedSorted = new List<Tensor>();
    var counts = new List<double>();
    var expectedCounts = new List<double>();
    var generator = new torch.Generator((ulong)Seed + 11);
    foreach (var (n, batchSize) in new (int, int)[] { (13, 4), (12, 5), (7, 7), (10, 3), (9, 10), (17, 6) })
    {
        var inputs = torch.cat(new[] { torch.arange(n, dtype: torch.float64).unsqueeze(1), torch.randn(new long[] { n, 2 }, dtype: torch.float64) }, 1);
        var labels = torch.arange(n, dtype: torch.int64);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var batches = Pipeline.Batches(inputs, labels, batchSize, generator);
            sizes.Add(batches.Count);
            foreach (var b in batches)
            {
                sizes.Add(b.Inputs.shape[0]);
                sizes.Add(b.Labels.shape[0]);
                features.Add(b.Inputs.reshape(-1));
                labelOrder.Add(b.Labels.to_type(torch.float64));
                feature0.Add(b.Inputs.select(1, 0));
            }
            var epochLabels = Cat(batches.Select(b => b.Labels.to_type(torch.float64)));
            sortedLabels.Add(epochLabels.sort().Values);
            expectedSorted.Add(torch.arange(epochLabels.shape[0], dtype: torch.float64));
            counts.Add(epochLabels.shape[0]);
            expectedCounts.Add(n);
        }
    }
    // Gradients flow back through the batches to the inputs (N = 11, batch size 4).
    var leaf = torch.randn(new long[] { 11, 3 }, dtype: torch.float64).requires_grad_(true);
    var gradBatches = Pipeline.Batches(leaf, torch.arange(11, dtype: torch.int64), 4, generator);
    ObserveGradients("input_gradient", Cat(gradBatches.Select(b => b.Inputs.reshape(-1))), leaf);

    Observe("batch_sizes", torch.tensor(sizes.ToArray(), dtype: torch.float64));
    Observe("label_order", Cat(labelOrder));
    Observe("features_in_batch_order", Cat(features));
    Observe("feature0_in_batch_order", Cat(feature0));
    Observe("sorted_labels", Cat(sortedLabels));
    Observe("expected_sorted_labels", Cat(expectedSorted));
    Observe("examples_per_epoch", torch.tensor(counts.ToArray(), dtype: torch.float64));
    Observe("n_per_epoch", torch.tensor(expectedCounts.ToArray(), dtype: torch.float64));
}
