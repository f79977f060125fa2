// A corpus of two sequences padded to 8 positions: sequence 0 has 8 tokens, each predicted with
// probability 0.5; sequence 1 has 2 tokens, each with probability 0.1. Every real token counts
// once, so the mean NLL should be (8 ln 2 + 2 ln 10) / 10 = 1.0150 and the perplexity
// exp(1.0150) = 2.759.
using System;
using TorchSharp;
using static TorchSharp.torch;

var V = 10;
var targets = tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 3, 7, 0, 0, 0, 0, 0, 0 }, new long[] { 2, 8 });
var lengths = tensor(new long[] { 8, 2 });
// sequence 0: the target gets probability 0.5, the other 9 tokens share the rest; sequence 1: uniform
var logits = zeros(new long[] { 2, 8, V }, dtype: float64);
logits[0] = nn.functional.one_hot(targets[0], V).to_type(ScalarType.Float64) * Math.Log(9.0);
var report = PerplexityEval.Evaluate(logits, targets, lengths);
Console.WriteLine($"MeanNll {report.MeanNll:F4}, Perplexity {report.Perplexity:F3}, tokens {report.Tokens}");
Console.WriteLine($"95% interval of the perplexity: [{report.Lower:F3}, {report.Upper:F3}], standard error of the mean NLL {report.StandardError:F4}");
