// Overwrite the padding of sequence 1 (positions 2..7): other targets, other logits. Padding does
// not count, so the report should stay exactly as it was.
var otherTargets = targets.clone();
otherTargets[1, TensorIndex.Slice(2, null)] = tensor(new long[] { 9, 9, 9, 9, 9, 9 });
var otherLogits = logits.clone();
otherLogits[1, TensorIndex.Slice(2, null)] = randn(new long[] { 6, V }, dtype: float64) * 3;
var again = PerplexityEval.Evaluate(otherLogits, otherTargets, lengths);
Console.WriteLine($"MeanNll {again.MeanNll:F4} (was {report.MeanNll:F4}), Perplexity {again.Perplexity:F3} (was {report.Perplexity:F3}), tokens {again.Tokens} (was {report.Tokens})");
