// RMSNorm keeps the direction of a row and rescales it to root-mean-square 1; it does not centre
// it. With unit weight, RMSNorm of a row of all 3s should be a row of all 1s.
var rms = new RMSNormalization(8);
Show(rms.forward(full(new long[] { 1, 8 }, 3.0, dtype: float64)), "RMSNorm of [3, 3, ..., 3]");
Show(rms.forward(x).pow(2).mean(new long[] { -1 }), "mean square of each token's output (should be about 1)");
