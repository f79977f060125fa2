// One row of logits over 5 tokens at three temperatures, no filters. A low temperature should
// sharpen the distribution (more mass on token 0), a high one should flatten it towards uniform.
using System;
using TorchSharp;
using static TorchSharp.torch;

var logits = tensor(new double[] { 2.0, 1.0, 0.5, 0.0, -1.0 }, new long[] { 1, 5 }, dtype: float64);
foreach (var t in new[] { 0.5, 1.0, 2.0 })
    Show(Decoding.NextTokenProbabilities(logits, t, 0, 1.0), $"temperature {t}");
