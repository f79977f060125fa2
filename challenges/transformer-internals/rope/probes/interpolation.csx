// Position interpolation, float64, headDim 8, trained at 16 positions: run at 32 positions (scale 1/2),
// the row at position 2m is rotated exactly as position m is without interpolation; run at 48
// (scale 1/3), the row at 3m likewise. interpolated vs plain, on the same vectors.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var plain = new RotaryEmbedding(8, 16, 16);
    var interpolated = new List<Tensor>();
    var expected = new List<Tensor>();
    foreach (int factor in new[] { 2, 3 })
    {
        var rope = new RotaryEmbedding(8, 16, 16 * factor);
        var row = torch.randn(new long[] { 2, 1, 8 }, dtype: torch.float64);
        foreach (long m in new long[] { 1, 2, 5, 9 })
        {
            interpolated.Add(rope.Apply(row, factor * m));
            expected.Add(plain.Apply(row, m));
        }
    }
    Observe("interpolated", torch.cat(interpolated.ToArray(), 0));
    Observe("plain", torch.cat(expected.ToArray(), 0));
}
