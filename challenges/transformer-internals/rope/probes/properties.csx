// Properties of the rotation, float64, headDim 10, trained at 12 positions and run at 30:
//  1. each interleaved pair (x[2i], x[2i+1]) keeps its length (pair_norms_before vs after), x (2, 3, 7, 10);
//  2. relative positions: for a query q and a key k, q(m) . k(n) depends only on m - n
//     (dots_near vs dots_far: the same differences 0, 1, 3, -2 and 5 at positions near 0 and near 20);
//  3. a block that starts at position s equals rows s.. of a block that starts at 0 (start_block vs from_zero).
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

static Tensor PairNorms(Tensor t) => t.reshape(-1, 2).pow(2).sum(-1).sqrt();

using (var scope = torch.NewDisposeScope())
{
    var rope = new RotaryEmbedding(10, 12, 30);
    var x = torch.randn(new long[] { 2, 3, 7, 10 }, dtype: torch.float64);
    Observe("pair_norms_before", PairNorms(x));
    Observe("pair_norms_after", PairNorms(rope.Apply(x, 2)));

    var q = torch.randn(new long[] { 1, 1, 1, 10 }, dtype: torch.float64);
    var k = torch.randn(new long[] { 1, 1, 1, 10 }, dtype: torch.float64);
    var near = new List<Tensor>();
    var far = new List<Tensor>();
    foreach (var (m, n) in new (long, long)[] { (0, 0), (1, 0), (3, 0), (1, 3), (7, 2) })
    {
        near.Add((rope.Apply(q, m) * rope.Apply(k, n)).sum().reshape(1));
        far.Add((rope.Apply(q, m + 20) * rope.Apply(k, n + 20)).sum().reshape(1));
    }
    Observe("dots_near", torch.cat(near.ToArray(), 0));
    Observe("dots_far", torch.cat(far.ToArray(), 0));

    var block = torch.randn(new long[] { 2, 9, 10 }, dtype: torch.float64);
    Observe("start_block", rope.Apply(block.narrow(1, 4, 5), 4));
    Observe("from_zero", rope.Apply(block).narrow(1, 4, 5));
}
