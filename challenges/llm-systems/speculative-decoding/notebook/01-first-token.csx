// 50,000 speculative steps with one draft token over 4 tokens, the same target p and draft q
// each time. Speculative sampling is exact: the first emitted token (the draft if accepted,
// else the resampled one) should follow p, to about 0.005.
using System;
using TorchSharp;
using static TorchSharp.torch;

const int N = 50000;
var p = tensor(new double[] { 0.5, 0.3, 0.2, 0.0, 0.1, 0.2, 0.3, 0.4 }, new long[] { 1, 2, 4 }, dtype: float64);
var q = tensor(new double[] { 0.2, 0.5, 0.1, 0.2 }, new long[] { 1, 1, 4 }, dtype: float64);
var pN = p.expand(N, 2, 4);
var qN = q.expand(N, 1, 4);
var draft = Speculative.SampleInverseCdf(qN.select(1, 0), rand(N, dtype: float64)).unsqueeze(1);
var (accepted, next) = Speculative.Verify(draft, qN, pN, rand(new long[] { N, 1 }, dtype: float64), rand(N, dtype: float64));
var first = where(accepted >= 1, draft.select(1, 0), next);
var frequencies = nn.functional.one_hot(first, 4).to(float64).mean(new long[] { 0 });
Show(frequencies, "frequency of each first token");
Show(p[0, 0], "target p");
Console.WriteLine($"acceptance rate {accepted.to(float64).mean().item<double>():F3} (expected sum min(p, q) = 0.6)");
