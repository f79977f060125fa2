// RollingKvCache decoding, float64, B=2, H=2, D=3: append position p's key and value, then
// attend with its query, for p = 0 .. T-1; the stacked outputs must equal SlidingWindow.Attention
// of the whole sequence. Window 4 over T=11 (the ring wraps twice) and window 5 over T=3 (never
// full; values of size about 100 in the first) (decode against full), and compared with the
// reference (decode).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var decoded = new List<Tensor>();
    var full = new List<Tensor>();
    foreach (var (t, w) in new (int, int)[] { (11, 4), (3, 5) })
    {
        var q = torch.randn(new long[] { 2, 2, t, 3 }, dtype: torch.float64);
        var k = torch.randn(new long[] { 2, 2, t, 3 }, dtype: torch.float64);
        var v = torch.randn(new long[] { 2, 2, t, 3 }, dtype: torch.float64) * (t == 11 ? 100.0 : 1.0);
        var cache = new RollingKvCache(2, 2, w, 3);
        var steps = new List<Tensor>();
        for (int p = 0; p < t; p++)
        {
            cache.Append(k.narrow(2, p, 1), v.narrow(2, p, 1));
            steps.Add(cache.Attend(q.narrow(2, p, 1)));
        }
        decoded.Add(torch.cat(steps.ToArray(), 2));
        full.Add(SlidingWindow.Attention(q, k, v, w));
    }
    ObserveAll("decode", decoded);
    ObserveAll("full", full);
}
