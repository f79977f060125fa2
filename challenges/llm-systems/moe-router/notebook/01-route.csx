// Route 8 tokens over 4 experts with top-2. Each token's probabilities should sum to 1 over the
// experts, and each token's two gates should sum to 1 (they are renormalised).
using System;
using TorchSharp;
using static TorchSharp.torch;

var logits = randn(new long[] { 8, 4 }, dtype: float64);
var probs = MoeRouter.RouterProbabilities(logits);
var (experts, gates) = MoeRouter.TopK(probs, 2);
Show(probs.sum(-1), "sum of each token's probabilities over the experts");
Show(experts, "chosen experts (token, slot)");
Show(gates.sum(-1), "sum of each token's gates");
