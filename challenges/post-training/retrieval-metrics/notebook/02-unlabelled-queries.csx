// The evaluation set grows by 100 queries whose relevance labels are not in yet (no relevant
// documents). Unlabelled queries carry no signal: a healthy MRR does not move.
Console.WriteLine($"MRR of the 4 labelled queries: {RetrievalMetrics.MeanReciprocalRank(rankings, relevant):F4}");
var unlabelled = Enumerable.Range(0, 100).Select(_ => new[] { 1, 2, 3 }).ToArray();
var moreRankings = rankings.Concat(unlabelled).ToArray();
var moreRelevant = relevant.Concat(unlabelled.Select(_ => new int[0])).ToArray();
Console.WriteLine($"MRR with 100 unlabelled queries added: {RetrievalMetrics.MeanReciprocalRank(moreRankings, moreRelevant):F4}");
