// FlashAttention.Forward against plain attention computed in one piece, for every block size
// from 1 to 8 on 7 keys. The block size is a tuning knob only: the error should be at rounding
// level (about 1e-16 in float64) for every block size.
using System;
using TorchSharp;
using static TorchSharp.torch;

var q = randn(new long[] { 1, 4, 8 }, dtype: float64);
var k = randn(new long[] { 1, 7, 8 }, dtype: float64);
var v = randn(new long[] { 1, 7, 2 }, dtype: float64);
var scores = matmul(q, k.transpose(1, 2)) / Math.Sqrt(8);
var weights = (scores - scores.amax(new long[] { -1 }, keepdim: true)).exp();
var plain = matmul(weights / weights.sum(-1, keepdim: true), v);
for (int block = 1; block <= 8; block++)
{
    var error = (FlashAttention.Forward(q, k, v, block) - plain).abs().max().item<double>();
    Console.WriteLine($"block {block}: max |Forward - plain| = {error:E2}");
    Plot("max abs error by block size", block, error);
}
