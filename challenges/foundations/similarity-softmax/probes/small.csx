// A small retrieval batch, float64: CosineMatrix of N=3 queries against M=4 keys in D=5, and the
// contrastive loss of 4 pairs (D=5) at temperature 0.1.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var queries = torch.randn(new long[] { 3, 5 }, dtype: torch.float64);
    var keys = torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    Observe("cosine", Similarity.CosineMatrix(queries, keys));

    var q = torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    var k = q + 0.5 * torch.randn(new long[] { 4, 5 }, dtype: torch.float64);
    Observe("loss", Similarity.ContrastiveLoss(q, k, 0.1));
}
