// One epoch of Pipeline.Batches on 10 examples of 3 features, batch size 4, a generator seeded
// with 20240601. Feature 0 of example i is i and its label is i, so every batch must keep
// inputs[:, 0] equal to labels, row by row.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int N = 10, F = 3, BatchSize = 4;
    var index = torch.arange(N, dtype: torch.float64);
    var inputs = torch.cat(new[] { index.unsqueeze(1), torch.randn(new long[] { N, F - 1 }, dtype: torch.float64) }, 1);
    var labels = torch.arange(N, dtype: torch.int64);
    var batches = Pipeline.Batches(inputs, labels, BatchSize, new torch.Generator(20240601));
    Observe("feature0_in_batch_order", torch.cat(batches.Select(b => b.Inputs.select(1, 0)).ToArray(), 0));
    Observe("labels_in_batch_order", torch.cat(batches.Select(b => b.Labels.to_type(torch.float64)).ToArray(), 0));
}
