using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Embedding similarity for the retrieval model: row normalisation, cosine similarity matrices,
/// a stable (log-)softmax along any axis, and the symmetric contrastive (CLIP-style) loss.
/// </summary>
public static class Similarity
{
    /// <summary>
    /// <paramref name="x"/> divided by its Euclidean norm along <paramref name="dim"/>, the norm
    /// floored at <paramref name="eps"/>: x / max(||x||, eps). A zero vector stays zero.
    /// </summary>
    public static Tensor Normalize(Tensor x, long dim, double eps = 1e-8)
    {
        var norm = x.pow(2).sum(dim, keepdim: true).sqrt();
        return x / norm.clamp_min(eps);
    }

    /// <summary>
    /// Cosine similarity of every row of <paramref name="a"/> (..., N, D) with every row of
    /// <paramref name="b"/> (..., M, D): (..., N, M). Rows are normalised with <see cref="Normalize"/>.
    /// </summary>
    public static Tensor CosineMatrix(Tensor a, Tensor b, double eps = 1e-8)
    {
        var aUnit = Normalize(a, -1, eps);
        var bUnit = Normalize(b, -1, eps);
        return aUnit.matmul(bUnit.transpose(-2, -1));
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, finite for any finite input.</summary>
    public static Tensor LogSoftmax(Tensor x, long dim)
    {
        var shifted = x - x.max(dim, keepdim: true).values;
        return shifted - shifted.exp().sum(dim, keepdim: true).log();
    }

    /// <summary>softmax(x) along <paramref name="dim"/>; the entries along dim sum to 1.</summary>
    public static Tensor Softmax(Tensor x, long dim) => LogSoftmax(x, dim).exp();

    /// <summary>
    /// The symmetric contrastive loss of N paired embeddings, queries (N, D) and keys (N, D), where
    /// pair i is (queries[i], keys[i]): with logits = CosineMatrix(queries, keys) / temperature, the
    /// mean of the query-to-key loss -log softmax(logits, over keys)[i, i] and the key-to-query
    /// loss -log softmax(logits, over queries)[i, i], averaged over the two directions.
    /// </summary>
    public static Tensor ContrastiveLoss(Tensor queries, Tensor keys, double temperature)
    {
        var logits = CosineMatrix(queries, keys) / temperature;             // (N queries, N keys)
        var queryToKey = LogSoftmax(logits, 1).diagonal();                  // over keys, per query
        var keyToQuery = LogSoftmax(logits, 0).diagonal();                  // over queries, per key
        return -(queryToKey.mean() + keyToQuery.mean()) / 2;
    }
}
