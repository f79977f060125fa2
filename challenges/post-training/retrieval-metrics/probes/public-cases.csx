// Three hand-made queries, k = 3 (document ids are small integers):
//  q0: ranked 4 7 1 9 2, relevant {7, 2};
//  q1: ranked 3 5 8 6,   relevant {8, 3, 11};
//  q2: ranked 1 2 3,     relevant {2}.
// Observed per query: Recall@3, reciprocal rank, NDCG@3; then the three means.
using System;
using TorchSharp;
using static TorchSharp.torch;

var rankings = new[] { new[] { 4, 7, 1, 9, 2 }, new[] { 3, 5, 8, 6 }, new[] { 1, 2, 3 } };
var relevant = new[] { new[] { 7, 2 }, new[] { 8, 3, 11 }, new[] { 2 } };
var perQuery = new double[9];
for (int q = 0; q < 3; q++)
{
    perQuery[3 * q] = RetrievalMetrics.RecallAtK(rankings[q], relevant[q], 3);
    perQuery[3 * q + 1] = RetrievalMetrics.ReciprocalRank(rankings[q], relevant[q]);
    perQuery[3 * q + 2] = RetrievalMetrics.NdcgAtK(rankings[q], relevant[q], 3);
}
Observe("per_query", torch.tensor(perQuery, dtype: torch.float64).reshape(3, 3));
Observe("means", torch.tensor(new[]
{
    RetrievalMetrics.MeanRecallAtK(rankings, relevant, 3),
    RetrievalMetrics.MeanReciprocalRank(rankings, relevant),
    RetrievalMetrics.MeanNdcgAtK(rankings, relevant, 3),
}, dtype: torch.float64));
