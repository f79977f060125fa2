// Per-sequence losses, and the weighted loss with equal weights shaped (B, 1) as the data loader
// hands them over. Equal weights should give the plain mean of the two per-sequence losses.
var perSequence = NextTokenLoss.PerSequenceLoss(logits, tokens, 0);
Show(perSequence, "per-sequence loss");
Console.WriteLine($"mean of the two:            {perSequence.mean().item<double>():F6}");
Console.WriteLine($"weighted, equal (B, 1) weights: {NextTokenLoss.WeightedLoss(logits, tokens, 0, ones(new long[] { 2, 1 }, dtype: float64)).item<double>():F6}");
