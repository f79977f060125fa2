using System;
using System.Collections.Generic;

/// <summary>
/// Offline metrics of the retriever in our RAG pipeline. A query's ranking is the list of
/// document ids the retriever returned, best first: ranked[0] has rank 1. Relevance is binary
/// (the judged-relevant ids of the query).
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// hit[i] is true when ranked[i] is relevant and has not already appeared earlier in the
    /// ranking: a document retrieved twice counts once, at its better rank.
    /// </summary>
    public static bool[] Hits(int[] ranked, int[] relevant)
    {
        var relevantSet = new HashSet<int>(relevant);
        var seen = new HashSet<int>();
        var hits = new bool[ranked.Length];
        for (int i = 0; i < ranked.Length; i++)
            hits[i] = relevantSet.Contains(ranked[i]) && seen.Add(ranked[i]);
        return hits;
    }

    /// <summary>The share of the relevant documents found in the top k (0 if there are none).</summary>
    public static double RecallAtK(int[] ranked, int[] relevant, int k)
    {
        int total = new HashSet<int>(relevant).Count;
        if (total == 0)
            return 0.0;
        var hits = Hits(ranked, relevant);
        int found = 0;
        for (int i = 0; i < Math.Min(k, ranked.Length); i++)
            if (hits[i])
                found++;
        return (double)found / total;
    }

    /// <summary>1 / rank of the first relevant document, 0 if none was retrieved.</summary>
    public static double ReciprocalRank(int[] ranked, int[] relevant)
    {
        var hits = Hits(ranked, relevant);
        double reciprocal = 0.0;
        for (int i = 0; i < hits.Length; i++)
        {
            if (hits[i])
            {
                reciprocal = 1.0 / (i + 1);
                break;
            }
        }
        return reciprocal;
    }

    /// <summary>
    /// NDCG@k with binary gains: DCG = sum over the hits at ranks r &lt;= k of 1 / log2(r + 1),
    /// divided by the DCG of an ideal ranking (all relevant documents first). 0 if there are none.
    /// </summary>
    public static double NdcgAtK(int[] ranked, int[] relevant, int k)
    {
        var hits = Hits(ranked, relevant);
        double dcg = 0.0;
        for (int i = 0; i < Math.Min(k, ranked.Length); i++)
            if (hits[i])
                dcg += 1.0 / Math.Log2(i + 2);

        int ideal = Math.Min(k, new HashSet<int>(relevant).Count);
        double idcg = 0.0;
        for (int i = 0; i < ideal; i++)
            idcg += 1.0 / Math.Log2(i + 2);
        return idcg == 0.0 ? 0.0 : dcg / idcg;
    }

    /// <summary>Recall@k averaged over the queries that have relevant documents.</summary>
    public static double MeanRecallAtK(int[][] rankings, int[][] relevant, int k) =>
        MeanOverJudgedQueries(rankings, relevant, (ranked, rel) => RecallAtK(ranked, rel, k));

    /// <summary>MRR: the reciprocal rank averaged over the queries that have relevant documents.</summary>
    public static double MeanReciprocalRank(int[][] rankings, int[][] relevant) =>
        MeanOverJudgedQueries(rankings, relevant, ReciprocalRank);

    /// <summary>NDCG@k averaged over the queries that have relevant documents.</summary>
    public static double MeanNdcgAtK(int[][] rankings, int[][] relevant, int k) =>
        MeanOverJudgedQueries(rankings, relevant, (ranked, rel) => NdcgAtK(ranked, rel, k));

    // Queries without any relevant document carry no signal: they are left out of the mean
    // (0 when no query has one).
    private static double MeanOverJudgedQueries(int[][] rankings, int[][] relevant, Func<int[], int[], double> metric)
    {
        double sum = 0.0;
        int judged = 0;
        for (int q = 0; q < rankings.Length; q++)
        {
            if (relevant[q].Length == 0)
                continue;
            sum += metric(rankings[q], relevant[q]);
            judged++;
        }
        return judged == 0 ? 0.0 : sum / judged;
    }
}
