// Top-p on distributions we know. Row 0 is [0.05, 0.1, 0.4, 0.15, 0.3]: with p = 0.8 the nucleus is
// tokens 2, 4 and 3 (0.4 + 0.3 + 0.15 = 0.85 reaches 0.8), renormalised. Row 1 is a confident
// [0.7, 0.1, 0.1, 0.05, 0.05]: with p = 0.5 only token 0 should keep mass.
var known = tensor(new double[] { 0.05, 0.1, 0.4, 0.15, 0.3, 0.7, 0.1, 0.1, 0.05, 0.05 }, new long[] { 2, 5 }, dtype: float64).log();
Show(Decoding.NextTokenProbabilities(known.narrow(0, 0, 1), 1.0, 0, 0.8), "row 0, top-p 0.8");
Show(Decoding.NextTokenProbabilities(known.narrow(0, 1, 1), 1.0, 0, 0.5), "row 1, top-p 0.5");
