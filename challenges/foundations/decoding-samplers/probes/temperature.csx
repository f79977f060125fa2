// NextTokenProbabilities, float64, without and with filters:
//  - a sweep of temperatures (0.5, 1, 2.5) and shapes ((3, 11), (2, 7), (5, 4)), no filter;
//  - logits of magnitude up to a few hundred (a confident model) at temperature 1.5;
//  - every row sums to 1 with top-k 4 and top-p 0.8;
//  - the gradient of a weighted sum of the probabilities with respect to the logits
//    (temperature 1.3, top-k 5, top-p 0.85), as used by the distillation loss;
//  - (B=2, T=3, V=13) logits, one distribution per position, for several settings (greedy
//    included), and the two masks on such a batch.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sweep = new List<Tensor>();
    foreach (var shape in new[] { new long[] { 3, 11 }, new long[] { 2, 7 }, new long[] { 5, 4 } })
    {
        var logits = torch.randn(shape, dtype: torch.float64) * 2.0;
        foreach (var t in new[] { 0.5, 1.0, 2.5 })
            sweep.Add(Decoding.NextTokenProbabilities(logits, t, 0, 1.0));
    }
    ObserveAll("temperature_sweep", sweep);

    var large = torch.randn(new long[] { 3, 9 }, dtype: torch.float64) * 300.0;
    Observe("large_logits", Decoding.NextTokenProbabilities(large, 1.5, 0, 1.0));

    var filtered = Decoding.NextTokenProbabilities(torch.randn(new long[] { 4, 13 }, dtype: torch.float64) * 1.5, 1.0, 4, 0.8);
    Observe("filtered_row_sums", filtered.sum(-1));
    Observe("ones", torch.ones(new long[] { 4 }, dtype: torch.float64));

    var x = (torch.randn(new long[] { 3, 10 }, dtype: torch.float64) * 1.5).requires_grad_(true);
    ObserveGradients("gradient", Decoding.NextTokenProbabilities(x, 1.3, 5, 0.85), x);

    var batched = torch.randn(new long[] { 2, 3, 13 }, dtype: torch.float64) * 2.0;
    var settings = new List<Tensor>();
    foreach (var (t, k, p) in new (double, int, double)[] { (0.8, 0, 0.9), (1.0, 4, 1.0), (1.2, 5, 0.7), (0.0, 0, 1.0) })
        settings.Add(Decoding.NextTokenProbabilities(batched, t, k, p));
    ObserveAll("batched_settings", settings);
    var batchedProbs = nn.functional.softmax(batched, -1);
    ObserveAll("batched_masks", new List<Tensor>
    {
        Decoding.TopKMask(batchedProbs, 3).to(torch.float64),
        Decoding.TopPMask(batchedProbs, 0.6).to(torch.float64),
    });
}
