// The router on a small batch: T=6 tokens, E=5 experts, k=2, float64 logits; observes the chosen
// experts, their gates and the load-balancing loss (alpha 0.01), in that order (routing).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var logits = torch.randn(new long[] { 6, 5 }, dtype: torch.float64) * 1.5;
    var probs = MoeRouter.RouterProbabilities(logits);
    var (experts, gates) = MoeRouter.TopK(probs, 2);
    var loss = MoeRouter.LoadBalancingLoss(probs, experts, 5, 0.01);
    ObserveAll("routing", new[] { experts.to(torch.float64), gates, loss.reshape(1) });
}
