// FlashAttention.Forward over a sweep of shapes and block sizes, float64 and float32: block sizes
// that divide Tk, that do not, of 1, and larger than Tk. Each case is compared with the reference
// (sweep) and with plain softmax attention computed here in one piece (plain).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var outs = new List<Tensor>();
    var plain = new List<Tensor>();
    var outs32 = new List<Tensor>();
    var plain32 = new List<Tensor>();
    foreach (var (b, tq, tk, d, dv, blocks) in new (int, int, int, int, int, int[])[]
    {
        (1, 3, 10, 6, 5, new[] { 1, 2, 3, 4, 7, 10, 16 }),
        (3, 4, 9, 5, 2, new[] { 2, 4, 8, 9 }),
        (2, 6, 13, 3, 7, new[] { 5, 6, 12 }),
    })
    {
        var q = torch.randn(new long[] { b, tq, d }, dtype: torch.float64) * 1.5;
        var k = torch.randn(new long[] { b, tk, d }, dtype: torch.float64) * 1.5;
        var v = torch.randn(new long[] { b, tk, dv }, dtype: torch.float64);
        var expected = torch.matmul(torch.softmax(torch.matmul(q, k.transpose(1, 2)) / Math.Sqrt(d), -1), v);
        foreach (var block in blocks)
        {
            outs.Add(FlashAttention.Forward(q, k, v, block));
            plain.Add(expected);
        }
        var q32 = q.to(torch.float32);
        var k32 = k.to(torch.float32);
        var v32 = v.to(torch.float32);
        outs32.Add(FlashAttention.Forward(q32, k32, v32, blocks[1]));
        plain32.Add(expected.to(torch.float32));
    }
    ObserveAll("sweep", outs);
    ObserveAll("plain", plain);
    ObserveAll("sweep_f32", outs32);
    ObserveAll("plain_f32", plain32);
}
