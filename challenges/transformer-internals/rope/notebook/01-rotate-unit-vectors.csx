// Rotate the unit vectors e0 and e2 (headDim 8) to position 1. Pair 0, features (0, 1), turns by
// 1 radian: e0 should become (cos 1, sin 1, 0, ...) = (0.5403, 0.8415, 0, 0, 0, 0, 0, 0). Pair 1,
// features (2, 3), turns by 10000^(-2/8) = 0.1 radian: e2 should become (0, 0, 0.995, 0.0998, 0, ...).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var rope = new RotaryEmbedding(8, 16, 16);
var units = eye(8, dtype: float64).index_select(0, tensor(new long[] { 0, 2 })).reshape(2, 1, 8);
var rotated = rope.Apply(units, 1).reshape(2, 8);
foreach (var (name, row) in new[] { ("e0", 0), ("e2", 1) })
    Console.WriteLine($"{name} at position 1: " + string.Join(", ", rotated[row].data<double>().Select(v => v.ToString("F4"))));
