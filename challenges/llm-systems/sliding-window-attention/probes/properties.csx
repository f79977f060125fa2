// Properties of SlidingWindow.Attention, float64, B=2, H=2, T=10, D=3.
//  - window >= T (10 and 13) equals full causal attention computed here (wide, causal);
//  - window 1: every query sees only itself, so the output is v (window_one, v);
//  - locality: changing the keys and values of positions 0..5 leaves the output at positions
//    8 and 9 unchanged with window 3 (local_original, local_perturbed);
//  - causality: changing positions 6..9 leaves the outputs at 0..5 unchanged (causal_original,
//    causal_perturbed);
//  - inputs of magnitudes 1e-2 to 1e4 (scores far beyond 1e4), window 4 (large);
//  - the gradients with respect to q, k and v, window 4 (gradients).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    const int T = 10;
    var q = torch.randn(new long[] { 2, 2, T, 3 }, dtype: torch.float64);
    var k = torch.randn(new long[] { 2, 2, T, 3 }, dtype: torch.float64);
    var v = torch.randn(new long[] { 2, 2, T, 3 }, dtype: torch.float64);
    var scores = torch.matmul(q, k.transpose(-2, -1)) / Math.Sqrt(3.0);
    var future = torch.ones(T, T, dtype: torch.@bool).triu(1);
    var causal = torch.matmul(torch.softmax(scores.masked_fill(future, double.NegativeInfinity), -1), v);
    Observe("wide", torch.cat(new[] { SlidingWindow.Attention(q, k, v, T), SlidingWindow.Attention(q, k, v, T + 3) }, 0));
    Observe("causal", torch.cat(new[] { causal, causal }, 0));
    Observe("window_one", SlidingWindow.Attention(q, k, v, 1));
    Observe("v", v);

    var k2 = torch.cat(new[] { torch.randn(new long[] { 2, 2, 6, 3 }, dtype: torch.float64), k.narrow(2, 6, 4) }, 2);
    var v2 = torch.cat(new[] { torch.randn(new long[] { 2, 2, 6, 3 }, dtype: torch.float64), v.narrow(2, 6, 4) }, 2);
    Observe("local_original", SlidingWindow.Attention(q, k, v, 3).narrow(2, 8, 2));
    Observe("local_perturbed", SlidingWindow.Attention(q, k2, v2, 3).narrow(2, 8, 2));

    var q3 = torch.cat(new[] { q.narrow(2, 0, 6), torch.randn(new long[] { 2, 2, 4, 3 }, dtype: torch.float64) }, 2);
    var k3 = torch.cat(new[] { k.narrow(2, 0, 6), torch.randn(new long[] { 2, 2, 4, 3 }, dtype: torch.float64) }, 2);
    var v3 = torch.cat(new[] { v.narrow(2, 0, 6), torch.randn(new long[] { 2, 2, 4, 3 }, dtype: torch.float64) }, 2);
    Observe("causal_original", SlidingWindow.Attention(q, k, v, 4).narrow(2, 0, 6));
    Observe("causal_perturbed", SlidingWindow.Attention(q3, k3, v3, 4).narrow(2, 0, 6));

    Observe("large", SlidingWindow.Attention(WideRange(2, 2, T, 3), WideRange(2, 2, T, 3), WideRange(2, 2, T, 3), 4));

    var qg = q.clone().requires_grad_(true);
    var kg = k.clone().requires_grad_(true);
    var vg = v.clone().requires_grad_(true);
    ObserveGradients("gradients", SlidingWindow.Attention(qg, kg, vg, 4), qg, kg, vg);
}
