// Speculative.Verify on hand-made cases and a sweep of shapes, float64.
//  - G=3, V=4, six sequences sharing p and q, with uniforms chosen so that: every draft is
//    accepted; the first is rejected; the second is rejected but the third would pass; the third
//    is rejected; the first is rejected and the others would pass; the first draws a uniform
//    exactly equal to its acceptance probability 0.5, which rejects it (hand);
//  - random cases with (N, G, V) = (7, 1, 5), (4, 3, 6), (9, 4, 3) (sweep).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    // Draft tokens 0, 1, 2 with acceptance probabilities 0.5, 0.25, 0.75 at the three positions.
    var pRow = new double[][] { new[] { 0.2, 0.3, 0.1, 0.4 }, new[] { 0.4, 0.1, 0.3, 0.2 }, new[] { 0.1, 0.2, 0.3, 0.4 }, new[] { 0.05, 0.15, 0.6, 0.2 } };
    var qRow = new double[][] { new[] { 0.4, 0.1, 0.2, 0.3 }, new[] { 0.2, 0.4, 0.1, 0.3 }, new[] { 0.3, 0.2, 0.4, 0.1 } };
    var p = torch.tensor(pRow[0], dtype: torch.float64);
    var p1 = torch.stack(new[] { torch.tensor(pRow[0], dtype: torch.float64), torch.tensor(pRow[1], dtype: torch.float64), torch.tensor(pRow[2], dtype: torch.float64), torch.tensor(pRow[3], dtype: torch.float64) }).unsqueeze(0).expand(6, 4, 4);
    var q1 = torch.stack(new[] { torch.tensor(qRow[0], dtype: torch.float64), torch.tensor(qRow[1], dtype: torch.float64), torch.tensor(qRow[2], dtype: torch.float64) }).unsqueeze(0).expand(6, 3, 4);
    var draft = torch.tensor(new long[] { 0, 1, 2 }, dtype: torch.int64).reshape(1, 3).expand(6, 3);
    var acceptU = torch.tensor(new double[]
    {
        0.1, 0.1, 0.1,
        0.9, 0.1, 0.1,
        0.1, 0.5, 0.1,
        0.1, 0.1, 0.9,
        0.6, 0.1, 0.1,
        0.5, 0.1, 0.1,
    }, dtype: torch.float64).reshape(6, 3);
    var sampleU = torch.tensor(new double[] { 0.25, 0.3, 0.7, 0.45, 0.95, 0.6 }, dtype: torch.float64);
    var (accepted, next) = Speculative.Verify(draft, q1, p1, acceptU, sampleU);
    Observe("hand", torch.cat(new[] { accepted, next }, 0).to(torch.float64));

    var outs = new List<Tensor>();
    foreach (var (n, g, v) in new (int, int, int)[] { (7, 1, 5), (4, 3, 6), (9, 4, 3) })
    {
        var q = torch.softmax(torch.randn(new long[] { n, g, v }, dtype: torch.float64), -1);
        var pt = torch.softmax(torch.randn(new long[] { n, g + 1, v }, dtype: torch.float64), -1);
        var u = torch.rand(new long[] { n, g, 1 }, dtype: torch.float64);
        var d = (q.cumsum(-1) <= u).to(torch.int64).sum(-1).clamp_max(v - 1);
        var (a, x) = Speculative.Verify(d, q, pt, torch.rand(new long[] { n, g }, dtype: torch.float64) * 0.8, torch.rand(new long[] { n }, dtype: torch.float64));
        outs.Add(a.to(torch.float64));
        outs.Add(x.to(torch.float64));
    }
    ObserveAll("sweep", outs);
}
