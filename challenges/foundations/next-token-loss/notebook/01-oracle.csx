// An oracle that knows the next token: at every position it puts a logit of 20 on the token that
// follows (V = 6, padding id 0). Its loss should be close to 0 (about 1e-8).
using System;
using TorchSharp;
using static TorchSharp.torch;

var tokens = tensor(new long[] { 2, 4, 1, 5, 3, 2, 1, 3, 5, 4, 0, 0, 0 }, dtype: int64).reshape(1, 13);
tokens = cat(new[] { tokens, tensor(new long[] { 5, 5, 1, 2, 3, 4, 2, 0, 0, 0, 0, 0, 0 }, dtype: int64).reshape(1, 13) }, 0);
var next = cat(new[] { tokens.narrow(1, 1, 12), zeros(new long[] { 2, 1 }, dtype: int64) }, 1);
var oracle = nn.functional.one_hot(next, 6).to(float64) * 20.0;
Console.WriteLine($"oracle loss: {NextTokenLoss.Loss(oracle, tokens, 0).item<double>():E3}");
