// The whole filter on a small batch, float64: NextTokenProbabilities(logits, temperature 0.7,
// no top-k, top-p 0.9) for B=3 rows over a vocabulary of V=11 tokens.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = torch.randn(new long[] { 3, 11 }, dtype: torch.float64) * 2.0;
    Observe("probs", Decoding.NextTokenProbabilities(logits, 0.7, 0, 0.9));
}
