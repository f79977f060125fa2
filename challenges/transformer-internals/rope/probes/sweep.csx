// Apply over a sweep, float64: (input shape, headDim, trainLength, targetLength, start, theta)
// with and without interpolation (target 4x, 3x, 2.5x the training length, and a target shorter
// than the training length), 3-D and 4-D inputs, later starts, positions past 1000, theta 500, and
// activations of magnitude up to 1e4.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var outs = new List<Tensor>();
    foreach (var (shape, train, target, start, theta) in new (long[], int, int, long, double)[]
    {
        (new long[] { 1, 2, 7, 6 }, 32, 32, 0, 10000.0),
        (new long[] { 2, 1, 4, 10 }, 8, 32, 3, 10000.0),
        (new long[] { 3, 2, 3, 4 }, 100, 50, 0, 10000.0),
        (new long[] { 2, 4, 6, 12 }, 16, 48, 10, 10000.0),
        (new long[] { 2, 5, 6 }, 20, 50, 2, 500.0),
        (new long[] { 1, 3, 2, 8 }, 2048, 4096, 1000, 10000.0),
        (new long[] { 2, 3, 6 }, 12, 12, 5, 10000.0),
    })
    {
        var rope = new RotaryEmbedding((int)shape[shape.Length - 1], train, target, theta);
        // the last case: activations of magnitude up to 1e4 (WideRange)
        var x = start == 5 ? WideRange(shape) * torch.randn(shape, dtype: torch.float64).sign() : torch.randn(shape, dtype: torch.float64) * 2.0;
        outs.Add(rope.Apply(x, start));
    }
    ObserveAll("outs", outs);
}
