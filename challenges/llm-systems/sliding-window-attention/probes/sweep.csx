// SlidingWindow over a sweep of (B, H, T, D, window) = (1, 2, 9, 5, 1), (2, 1, 8, 3, 2),
// (3, 2, 6, 4, 4), (2, 3, 11, 2, 5), (1, 1, 5, 3, 7), float64 (sweep); the mask of T = 6 with
// window 2 and of T = 5 with window 3 against the rule i - window < j <= i (masks).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var outs = new List<Tensor>();
    foreach (var (b, h, t, d, w) in new (int, int, int, int, int)[] { (1, 2, 9, 5, 1), (2, 1, 8, 3, 2), (3, 2, 6, 4, 4), (2, 3, 11, 2, 5), (1, 1, 5, 3, 7) })
    {
        var q = torch.randn(new long[] { b, h, t, d }, dtype: torch.float64) * 1.5;
        var k = torch.randn(new long[] { b, h, t, d }, dtype: torch.float64) * 1.5;
        var v = torch.randn(new long[] { b, h, t, d }, dtype: torch.float64);
        outs.Add(SlidingWindow.Attention(q, k, v, w));
    }
    ObserveAll("sweep", outs);

    var masks = new List<Tensor>();
    var expected = new List<Tensor>();
    foreach (var (t, w) in new (int, int)[] { (6, 2), (5, 3) })
    {
        masks.Add(SlidingWindow.Mask(t, w).to(torch.float64));
        var e = torch.zeros(new long[] { t, t }, dtype: torch.float64);
        for (int i = 0; i < t; i++)
            for (int j = 0; j < t; j++)
                if (i - w < j && j <= i) e[i, j] = 1.0;
        expected.Add(e);
    }
    ObserveAll("masks", masks);
    ObserveAll("masks_expected", expected);
}
