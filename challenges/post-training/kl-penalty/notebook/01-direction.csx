// The estimator on two hand-made distributions over 3 tokens: p for the policy, q for the base
// model. Weighting each token's estimate by p(token) gives the estimator's exact expectation
// under sampling from the policy; a healthy estimate of KL(p || q) matches the exact value.
using System;
using TorchSharp;
using static TorchSharp.torch;

var p = tensor(new double[] { 0.7, 0.2, 0.1 });
var q = tensor(new double[] { 0.1, 0.3, 0.6 });
var perToken = KlPenalty.PerToken(p.log().unsqueeze(0), q.log().unsqueeze(0)).squeeze(0);
Show(perToken, "per-token estimates");
Console.WriteLine($"expectation under p of the estimate: {(p * perToken).sum().item<double>():F4}");
Console.WriteLine($"exact KL(p || q):                    {(p * (p / q).log()).sum().item<double>():F4}");
Console.WriteLine($"exact KL(q || p):                    {(q * (q / p).log()).sum().item<double>():F4}");
