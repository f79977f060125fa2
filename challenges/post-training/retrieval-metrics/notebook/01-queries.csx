// Four evaluation queries with known answers, k = 5:
//  a: the one relevant document (id 7) is returned three times, from rank 2: Recall@5 should be 1;
//  b: relevant documents at ranks 1 and 3: the reciprocal rank should be 1;
//  c: the two relevant documents ranked first and second: NDCG@5 should be 1;
//  d: nothing relevant retrieved: every metric 0.
// Every metric of a healthy implementation lies between 0 and 1.
using System;
using System.Linq;

var rankings = new[] { new[] { 3, 7, 7, 7, 1 }, new[] { 4, 6, 9, 2 }, new[] { 8, 5, 1, 2, 3 }, new[] { 1, 2, 3 } };
var relevant = new[] { new[] { 7 }, new[] { 4, 9 }, new[] { 8, 5 }, new[] { 6 } };
for (int q = 0; q < rankings.Length; q++)
    Console.WriteLine($"query {"abcd"[q]}: Recall@5 {RetrievalMetrics.RecallAtK(rankings[q], relevant[q], 5):F4}, " +
        $"RR {RetrievalMetrics.ReciprocalRank(rankings[q], relevant[q]):F4}, NDCG@5 {RetrievalMetrics.NdcgAtK(rankings[q], relevant[q], 5):F4}");
