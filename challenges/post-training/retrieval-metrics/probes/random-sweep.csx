// Random queries from the probe's seed: 40 queries over a corpus of 30 documents, rankings of 1 to
// 25 ids drawn with replacement (so with duplicates), 0 to 6 relevant ids each (some queries
// none). Observed per query at k = 1, 4, 7, 12 and 30: Recall@k, NDCG@k and the reciprocal rank;
// then the means at each k.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var random = new Random((int)(Seed % int.MaxValue));
const int Q = 40;
var rankings = new int[Q][];
var relevant = new int[Q][];
for (int q = 0; q < Q; q++)
{
    rankings[q] = Enumerable.Range(0, random.Next(1, 26)).Select(_ => random.Next(30)).ToArray();
    relevant[q] = Enumerable.Range(0, 30).OrderBy(_ => random.Next()).Take(random.Next(0, 7)).ToArray();
}
var ks = new[] { 1, 4, 7, 12, 30 };
var perQuery = new List<double>();
for (int q = 0; q < Q; q++)
{
    foreach (var k in ks)
    {
        perQuery.Add(RetrievalMetrics.RecallAtK(rankings[q], relevant[q], k));
        perQuery.Add(RetrievalMetrics.NdcgAtK(rankings[q], relevant[q], k));
    }
    perQuery.Add(RetrievalMetrics.ReciprocalRank(rankings[q], relevant[q]));
}
Observe("per_query", torch.tensor(perQuery.ToArray(), dtype: torch.float64));
var means = new List<double>();
foreach (var k in ks)
{
    means.Add(RetrievalMetrics.MeanRecallAtK(rankings, relevant, k));
    means.Add(RetrievalMetrics.MeanNdcgAtK(rankings, relevant, k));
}
means.Add(RetrievalMetrics.MeanReciprocalRank(rankings, relevant));
Observe("means", torch.tensor(means.ToArray(), dtype: torch.float64));
