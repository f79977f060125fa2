// Hand-made queries whose values are known, per query at k = 1, 2, 3, 5 and 10:
// Recall@k, NDCG@k, and the reciprocal rank (rows: query, columns: the seven values).
//  a: ranked 5 5 2 5 9, relevant {5, 9}   (a relevant document retrieved three times);
//  b: ranked 1 2 3 4 5 6, relevant {6}    (the only hit at rank 6);
//  c: ranked 8 3 3 1,   relevant {3, 1, 4, 7, 9, 10} (more relevant documents than k);
//  d: ranked 2 4,       relevant {2, 4}   (perfect, shorter than k);
//  e: ranked 7 8 9,     relevant {}       (no relevant document);
//  f: ranked 6 2 6 2 1, relevant {2, 1}   (two hits, each retrieved twice);
//  g: ranked 3 1 2,     relevant {9}      (the relevant document was not retrieved).
// Then the three means at k = 3 over all seven, and over the six with relevant documents.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var rankings = new[]
{
    new[] { 5, 5, 2, 5, 9 }, new[] { 1, 2, 3, 4, 5, 6 }, new[] { 8, 3, 3, 1 }, new[] { 2, 4 },
    new[] { 7, 8, 9 }, new[] { 6, 2, 6, 2, 1 }, new[] { 3, 1, 2 },
};
var relevant = new[]
{
    new[] { 5, 9 }, new[] { 6 }, new[] { 3, 1, 4, 7, 9, 10 }, new[] { 2, 4 },
    new int[0], new[] { 2, 1 }, new[] { 9 },
};
var ks = new[] { 1, 2, 3, 5, 10 };
var values = new double[rankings.Length * (2 * ks.Length + 1)];
int n = 0;
for (int q = 0; q < rankings.Length; q++)
{
    foreach (var k in ks)
        values[n++] = RetrievalMetrics.RecallAtK(rankings[q], relevant[q], k);
    foreach (var k in ks)
        values[n++] = RetrievalMetrics.NdcgAtK(rankings[q], relevant[q], k);
    values[n++] = RetrievalMetrics.ReciprocalRank(rankings[q], relevant[q]);
}
Observe("per_query", torch.tensor(values, dtype: torch.float64).reshape(rankings.Length, 2 * ks.Length + 1));

int[][] Judged(int[][] x) => Enumerable.Range(0, x.Length).Where(q => relevant[q].Length > 0).Select(q => x[q]).ToArray();
Observe("means_all", torch.tensor(new[]
{
    RetrievalMetrics.MeanRecallAtK(rankings, relevant, 3),
    RetrievalMetrics.MeanReciprocalRank(rankings, relevant),
    RetrievalMetrics.MeanNdcgAtK(rankings, relevant, 3),
}, dtype: torch.float64));
Observe("means_judged_only", torch.tensor(new[]
{
    RetrievalMetrics.MeanRecallAtK(Judged(rankings), Judged(relevant), 3),
    RetrievalMetrics.MeanReciprocalRank(Judged(rankings), Judged(relevant)),
    RetrievalMetrics.MeanNdcgAtK(Judged(rankings), Judged(relevant), 3),
}, dtype: torch.float64));
