// A small batch of two responses (mask 0 on prompt and padding), then the same batch padded with
// three more masked columns. Padding should not change the loss, and after backward() only
// logProbs should have a gradient: the rollout's oldLogProbs are fixed numbers.
var mask = tensor(new double[] { 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1 }, new long[] { 2, 6 }, dtype: float64);
var oldLogProbs = (-(rand(new long[] { 2, 6 }, dtype: float64) * 3.0)).requires_grad_(true);
var logProbs = (oldLogProbs.detach() + (rand(new long[] { 2, 6 }, dtype: float64) - 0.5)).requires_grad_(true);
var advantages = randn(new long[] { 2, 6 }, dtype: float64);
var loss = Ppo.ClipLoss(logProbs, oldLogProbs, advantages, mask, 0.2);
loss.backward();
Console.WriteLine($"loss at length 6: {loss.item<double>():F4}");
Console.WriteLine(oldLogProbs.grad is null ? "oldLogProbs: no gradient" : $"largest |gradient| on oldLogProbs: {oldLogProbs.grad.abs().max().item<double>():F4}");

Tensor Pad(Tensor x) => cat(new[] { x.detach(), zeros(new long[] { 2, 3 }, dtype: float64) }, 1);
var padded = Ppo.ClipLoss(Pad(logProbs), Pad(oldLogProbs), Pad(advantages), Pad(mask), 0.2);
Console.WriteLine($"loss at length 9: {padded.item<double>():F4}");
