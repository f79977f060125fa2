// Metamorphic properties on random queries from the probe's seed (corpus of 40 ids, rankings of
// 8 to 20 distinct ids, 1 to 5 relevant ids, k = 5):
//  - a perfect ranking (every relevant id first, then others) has NDCG@k = 1 and MRR = 1, and
//    Recall@k = 1 when there are at most k relevant ids (perfect_ndcg/perfect_mrr/perfect_recall
//    vs ones);
//  - every value lies in [0, 1], also when every document is retrieved twice (largest_value
//    below 1 + 1e-12);
//  - shuffling the non-relevant ids among their own positions changes nothing (original vs
//    shuffled_irrelevant);
//  - appending ids after position k changes neither Recall@k nor NDCG@k (at_k vs at_k_extended);
//  - repeating a retrieved id (a relevant one where there is one), right after it, pushes later ids down one rank, like
//    inserting an irrelevant id there (repeated vs irrelevant_inserted);
//  - adding queries without relevant documents, and reordering the queries, leaves the means
//    unchanged (means vs means_with_unjudged).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var random = new Random((int)(Seed % int.MaxValue) ^ 0x5bd1e995);
const int Q = 25, K = 5;
var rankings = new int[Q][];
var relevant = new int[Q][];
for (int q = 0; q < Q; q++)
{
    rankings[q] = Enumerable.Range(0, 40).OrderBy(_ => random.Next()).Take(random.Next(8, 21)).ToArray();
    // relevant ids: some retrieved, some not
    relevant[q] = Enumerable.Range(0, 40).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToArray();
}

double[] Values(int[] ranked, int[] rel) => new[]
{
    RetrievalMetrics.RecallAtK(ranked, rel, K), RetrievalMetrics.NdcgAtK(ranked, rel, K), RetrievalMetrics.ReciprocalRank(ranked, rel),
};

var perfectNdcg = new List<double>(); var perfectMrr = new List<double>(); var perfectRecall = new List<double>();
double largest = 0;
var original = new List<double>(); var shuffled = new List<double>();
var atK = new List<double>(); var atKExtended = new List<double>();
var repeated = new List<double>(); var inserted = new List<double>();
for (int q = 0; q < Q; q++)
{
    var rel = relevant[q];
    var relSet = new HashSet<int>(rel);
    var perfect = rel.Concat(Enumerable.Range(0, 40).Where(d => !relSet.Contains(d)).Take(6)).ToArray();
    perfectNdcg.Add(RetrievalMetrics.NdcgAtK(perfect, rel, K));
    perfectMrr.Add(RetrievalMetrics.ReciprocalRank(perfect, rel));
    if (rel.Length <= K) perfectRecall.Add(RetrievalMetrics.RecallAtK(perfect, rel, K));

    var ranked = rankings[q];
    foreach (var k in new[] { 1, 3, K, 10, 40 })
        largest = Math.Max(largest, Math.Max(RetrievalMetrics.RecallAtK(ranked, rel, k), RetrievalMetrics.NdcgAtK(ranked, rel, k)));
    largest = Math.Max(largest, RetrievalMetrics.ReciprocalRank(ranked, rel));
    var twice = ranked.Concat(ranked).ToArray();   // every document retrieved twice
    foreach (var k in new[] { 5, 40 })
        largest = Math.Max(largest, Math.Max(RetrievalMetrics.RecallAtK(twice, rel, k), RetrievalMetrics.NdcgAtK(twice, rel, k)));

    original.AddRange(Values(ranked, rel));
    var irrelevantPositions = Enumerable.Range(0, ranked.Length).Where(i => !relSet.Contains(ranked[i])).ToArray();
    var permuted = irrelevantPositions.Select(i => ranked[i]).OrderBy(_ => random.Next()).ToArray();
    var shuffledRanking = (int[])ranked.Clone();
    for (int j = 0; j < irrelevantPositions.Length; j++) shuffledRanking[irrelevantPositions[j]] = permuted[j];
    shuffled.AddRange(Values(shuffledRanking, rel));

    var topK = ranked.Take(K).ToArray();
    var extended = topK.Concat(rel).Concat(new[] { 41, 42 }).ToArray();
    atK.Add(RetrievalMetrics.RecallAtK(topK, rel, K)); atK.Add(RetrievalMetrics.NdcgAtK(topK, rel, K));
    atKExtended.Add(RetrievalMetrics.RecallAtK(extended, rel, K)); atKExtended.Add(RetrievalMetrics.NdcgAtK(extended, rel, K));

    var relevantPositions = Enumerable.Range(0, ranked.Length).Where(i => relSet.Contains(ranked[i])).ToArray();
    int at = relevantPositions.Length > 0 ? relevantPositions[random.Next(relevantPositions.Length)] : random.Next(ranked.Length);
    var withRepeat = ranked.Take(at + 1).Concat(new[] { ranked[at] }).Concat(ranked.Skip(at + 1)).ToArray();
    var withIrrelevant = ranked.Take(at + 1).Concat(new[] { 99 }).Concat(ranked.Skip(at + 1)).ToArray();
    foreach (var k in new[] { 2, K, 12 })
    {
        repeated.Add(RetrievalMetrics.RecallAtK(withRepeat, rel, k)); repeated.Add(RetrievalMetrics.NdcgAtK(withRepeat, rel, k));
        inserted.Add(RetrievalMetrics.RecallAtK(withIrrelevant, rel, k)); inserted.Add(RetrievalMetrics.NdcgAtK(withIrrelevant, rel, k));
    }
    repeated.Add(RetrievalMetrics.ReciprocalRank(withRepeat, rel));
    inserted.Add(RetrievalMetrics.ReciprocalRank(withIrrelevant, rel));
}
Observe("perfect_ndcg", torch.tensor(perfectNdcg.ToArray(), dtype: torch.float64));
Observe("perfect_mrr", torch.tensor(perfectMrr.ToArray(), dtype: torch.float64));
Observe("perfect_recall", torch.tensor(perfectRecall.ToArray(), dtype: torch.float64));
Observe("ones_ndcg", torch.ones(new long[] { perfectNdcg.Count }, dtype: torch.float64));
Observe("ones_recall", torch.ones(new long[] { perfectRecall.Count }, dtype: torch.float64));
Observe("largest_value", largest);
Observe("original", torch.tensor(original.ToArray(), dtype: torch.float64));
Observe("shuffled_irrelevant", torch.tensor(shuffled.ToArray(), dtype: torch.float64));
Observe("at_k", torch.tensor(atK.ToArray(), dtype: torch.float64));
Observe("at_k_extended", torch.tensor(atKExtended.ToArray(), dtype: torch.float64));
Observe("repeated", torch.tensor(repeated.ToArray(), dtype: torch.float64));
Observe("irrelevant_inserted", torch.tensor(inserted.ToArray(), dtype: torch.float64));

double[] Means(int[][] r, int[][] rel) => new[]
{
    RetrievalMetrics.MeanRecallAtK(r, rel, K), RetrievalMetrics.MeanNdcgAtK(r, rel, K), RetrievalMetrics.MeanReciprocalRank(r, rel),
};
Observe("means", torch.tensor(Means(rankings, relevant), dtype: torch.float64));
var order = Enumerable.Range(0, Q + 4).OrderBy(_ => random.Next()).ToArray();
var moreRankings = rankings.Concat(new[] { new[] { 1, 2 }, new[] { 3 }, new[] { 4, 5, 6 }, new[] { 7 } }).ToArray();
var moreRelevant = relevant.Concat(new[] { new int[0], new int[0], new int[0], new int[0] }).ToArray();
Observe("means_with_unjudged", torch.tensor(Means(order.Select(i => moreRankings[i]).ToArray(), order.Select(i => moreRelevant[i]).ToArray()), dtype: torch.float64));
