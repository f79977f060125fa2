// The same batch scored by random logits, then with 4 more padding positions appended. Padding is
// not scored, so both numbers should be identical.
var logits = randn(new long[] { 2, 13, 6 }, dtype: float64);
var padded = cat(new[] { tokens, zeros(new long[] { 2, 4 }, dtype: int64) }, 1);
var paddedLogits = cat(new[] { logits, randn(new long[] { 2, 4, 6 }, dtype: float64) }, 1);
Console.WriteLine($"loss:                 {NextTokenLoss.Loss(logits, tokens, 0).item<double>():F6}");
Console.WriteLine($"loss with more pads:  {NextTokenLoss.Loss(paddedLogits, padded, 0).item<double>():F6}");
