// The contrastive loss of 6 query/key pairs where each key is a noisy copy of its query. Healthy:
// a finite loss well below ln 6 = 1.79 at temperature 0.1, also when one pair is padding (zeros)
// and at the sharp temperature 0.001.
var queries = randn(new long[] { 6, 8 }, dtype: float64);
var keys = queries + 0.3 * randn(new long[] { 6, 8 }, dtype: float64);
Console.WriteLine($"loss, temperature 0.1:      {Similarity.ContrastiveLoss(queries, keys, 0.1).item<double>():F4}");
var paddedQueries = queries.clone(); paddedQueries[5] = zeros(8, dtype: float64);
var paddedKeys = keys.clone(); paddedKeys[5] = zeros(8, dtype: float64);
Console.WriteLine($"loss with a padding pair:   {Similarity.ContrastiveLoss(paddedQueries, paddedKeys, 0.1).item<double>():F4}");
Console.WriteLine($"loss, temperature 0.001:    {Similarity.ContrastiveLoss(queries, keys, 0.001).item<double>():F4}");
