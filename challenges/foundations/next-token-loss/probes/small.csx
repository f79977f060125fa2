// Loss on a small right-padded batch, float64: B=2 sequences of T=6 tokens over V=7, padding id 0;
// the second sequence has 4 real tokens and 2 padding tokens.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = torch.randn(new long[] { 2, 6, 7 }, dtype: torch.float64) * 2.0;
    var tokens = torch.tensor(new long[] { 3, 5, 1, 6, 2, 4, 2, 6, 6, 3, 0, 0 }, dtype: torch.int64).reshape(2, 6);
    Observe("loss", NextTokenLoss.Loss(logits, tokens, 0));
}
