// LogSoftmax and Softmax, float64:
//  - a (3, 4, 5) tensor along every axis (0, 1, 2, -2), against the reference;
//  - along axis 0 of (4, 3) logits whose columns sit at very different offsets (+-1000 apart);
//  - the sums of Softmax along axis 1 of a (2, 6, 3) tensor (all 1);
//  - the gradient of LogSoftmax along axis 0 and axis -1, moderate and large logits, and of
//    Softmax along axis 1;
//  - LogSoftmax along an axis of 16 nearly equal logits.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var cube = torch.randn(new long[] { 3, 4, 5 }, dtype: torch.float64) * 2.0;
    var sweep = new List<Tensor>();
    foreach (var dim in new long[] { 0, 1, 2, -2 })
        sweep.Add(Similarity.LogSoftmax(cube, dim));
    ObserveAll("log_softmax_axes", sweep);
    Observe("softmax_axis_0", Similarity.Softmax(cube, 0));

    var offsets = torch.tensor(new double[] { 1000, -1000, 0 }, dtype: torch.float64);
    var spread = torch.randn(new long[] { 4, 3 }, dtype: torch.float64) * 3.0 + offsets;
    Observe("log_softmax_offsets", Similarity.LogSoftmax(spread, 0));
    Observe("softmax_offsets", Similarity.Softmax(spread, 0));

    var p = Similarity.Softmax(torch.randn(new long[] { 2, 6, 3 }, dtype: torch.float64) * 4.0, 1);
    Observe("softmax_sums", p.sum(1));
    Observe("ones", torch.ones(new long[] { 2, 3 }, dtype: torch.float64));

    var g0 = (torch.randn(new long[] { 5, 3 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    var g1 = (torch.randn(new long[] { 3, 4 }, dtype: torch.float64) * 500.0).requires_grad_(true);
    ObserveGradients("log_softmax_gradient", torch.cat(new[] { Similarity.LogSoftmax(g0, 0).reshape(-1), Similarity.LogSoftmax(g1, -1).reshape(-1) }, 0), g0, g1);

    var gs = (torch.randn(new long[] { 2, 5, 3 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    ObserveGradients("softmax_gradient", Similarity.Softmax(gs, 1), gs);

    Observe("log_softmax_wide_axis", Similarity.LogSoftmax(torch.randn(new long[] { 16, 2 }, dtype: torch.float64) * 0.1, 0));
}
