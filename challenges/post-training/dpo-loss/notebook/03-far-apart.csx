// A pair the policy gets badly wrong, in float32: the rejected response is about 1500 nats more
// likely under the policy than under the reference model. With beta 0.1 a healthy loss is about
// 150 (beta times the margin), finite, with a gradient that pushes the rejected log-probs down.
var mask = tensor(new float[] { 0, 0, 1, 1 }, new long[] { 1, 4 });
var chosen = tensor(new float[] { -1, -2, -3, -1 }, new long[] { 1, 4 });
var policyRejectedFar = tensor(new float[] { -1, -2, -0.5f, -1 }, new long[] { 1, 4 });
var referenceRejectedFar = tensor(new float[] { -1, -2, -700, -800 }, new long[] { 1, 4 });
Console.WriteLine($"loss: {Dpo.Loss(chosen, policyRejectedFar, chosen, referenceRejectedFar, mask, mask, 0.1).item<float>()}");
