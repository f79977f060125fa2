// The top-k and top-p masks on hand-made distributions whose sums are exact in float64
// (powers of two), with the most likely tokens away from the front of the vocabulary, and the
// number of tokens that keep probability mass after the whole filter.
//  - TopPMask of [0.125, 0.5, 0.0625, 0.25, 0.0625] for p = 0.3, 0.7, 0.75 (reached exactly), 0.8;
//  - TopPMask and TopKMask with equal probabilities: [0.25, 0.125, 0.25, 0.25, 0.125];
//  - counts of tokens with mass: top-k 1, 3, 6 over V=11, and top-p 0.5, 0.9 on random logits;
//  - without any filter (top-k 0, top-p 1), on logits far apart (probabilities down to 1e-22):
//    every token keeps its mass.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var distinct = torch.tensor(new double[] { 0.125, 0.5, 0.0625, 0.25, 0.0625 }, dtype: torch.float64).reshape(1, 5);
    var tied = torch.tensor(new double[] { 0.25, 0.125, 0.25, 0.25, 0.125 }, dtype: torch.float64).reshape(1, 5);
    var both = torch.cat(new[] { distinct, tied, tied.flip(-1) }, 0);

    var topP = new List<Tensor>();
    foreach (var p in new[] { 0.3, 0.7, 0.75, 0.8 })
        topP.Add(Decoding.TopPMask(both, p).to(torch.float64));
    ObserveAll("top_p_masks", topP);
    var tiedTopP = new List<Tensor>();
    foreach (var p in new[] { 0.5, 0.6 })
        tiedTopP.Add(Decoding.TopPMask(tied, p).to(torch.float64));
    ObserveAll("top_p_ties", tiedTopP);

    var topK = new List<Tensor>();
    foreach (var k in new[] { 1, 2, 4, 5, 9 })
        topK.Add(Decoding.TopKMask(both, k).to(torch.float64));
    ObserveAll("top_k_masks", topK);

    var logits = torch.randn(new long[] { 4, 11 }, dtype: torch.float64) * 2.0;
    var kCounts = new List<Tensor>();
    foreach (var k in new[] { 1, 3, 6 })
        kCounts.Add((Decoding.NextTokenProbabilities(logits, 1.0, k, 1.0) > 0).sum(-1).to(torch.float64));
    ObserveAll("top_k_counts", kCounts);
    Observe("expected_top_k_counts", torch.tensor(new double[] { 1, 1, 1, 1, 3, 3, 3, 3, 6, 6, 6, 6 }, dtype: torch.float64));
    Observe("top_k_counts_flat", torch.cat(kCounts.ToArray(), 0));

    var pCounts = new List<Tensor>();
    foreach (var p in new[] { 0.5, 0.9 })
        pCounts.Add((Decoding.NextTokenProbabilities(logits, 0.8, 0, p) > 0).sum(-1).to(torch.float64));
    ObserveAll("top_p_counts", pCounts);

    var spread = torch.tensor(new double[] { 0, -40, 3, -50, 1, -45 }, dtype: torch.float64).reshape(1, 6);
    Observe("unfiltered_count", (Decoding.NextTokenProbabilities(spread, 1.0, 0, 1.0) > 0).sum().to(torch.float64));
    Observe("vocabulary_size", 6.0);
}
