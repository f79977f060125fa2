// One response of 4 tokens after a 1-token prompt, then the same batch padded with 3 more
// columns of mask 0. The response's KL, and so its penalty, should not depend on the padding;
// with coef 0.5 the penalised reward should be below the reward of 1.
var mask = tensor(new double[] { 0, 1, 1, 1, 1, 0 }, new long[] { 1, 6 });
var policy = tensor(new double[] { -2, -0.5, -1.0, -0.2, -3.0, -1 }, new long[] { 1, 6 });
var baseModel = tensor(new double[] { -2, -1.5, -1.0, -0.7, -2.0, -1 }, new long[] { 1, 6 });
Console.WriteLine($"KL at length 6: {KlPenalty.SequenceKl(policy, baseModel, mask).item<double>():F4}");
Tensor Pad(Tensor x) => cat(new[] { x, zeros(new long[] { 1, 3 }, dtype: float64) }, 1);
Console.WriteLine($"KL at length 9: {KlPenalty.SequenceKl(Pad(policy), Pad(baseModel), Pad(mask)).item<double>():F4}");
Console.WriteLine($"penalised reward, reward 1, coef 0.5: {KlPenalty.PenalisedRewards(tensor(new double[] { 1.0 }), policy, baseModel, mask, 0.5).item<double>():F4}");
