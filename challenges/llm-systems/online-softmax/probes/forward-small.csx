// FlashAttention.Forward on a small batch, float64: B=2, Tq=5 queries, Tk=7 keys, key size D=4,
// value size Dv=3, blocks of 3 keys (so the last block holds one key).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var q = torch.randn(new long[] { 2, 5, 4 }, dtype: torch.float64);
    var k = torch.randn(new long[] { 2, 7, 4 }, dtype: torch.float64);
    var v = torch.randn(new long[] { 2, 7, 3 }, dtype: torch.float64);
    Observe("out", FlashAttention.Forward(q, k, v, 3));
}
