// A short serving scenario on a pool of 16 blocks of 4 slots, Dim 3: allocate sequence 0 (5
// tokens) and 1 (8 tokens), append 4 tokens to 0 at once, free 1, allocate 2 (6 tokens), append
// one token to 2 and one to 0. Observes Gather of sequences 0 and 2, keys then values (gathered).
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var cache = new PagedKvCache(16, 4, 3);
    Tensor Kv(int n) => torch.randn(new long[] { n, 3 }, dtype: torch.float64);
    cache.Allocate(0, Kv(5), Kv(5));
    cache.Allocate(1, Kv(8), Kv(8));
    cache.Append(0, Kv(4), Kv(4));
    cache.Free(1);
    cache.Allocate(2, Kv(6), Kv(6));
    cache.Append(2, Kv(1), Kv(1));
    cache.Append(0, Kv(1), Kv(1));
    var (k0, v0) = cache.Gather(0);
    var (k2, v2) = cache.Gather(2);
    Observe("gathered", torch.cat(new[] { k0, v0, k2, v2 }, 0));
}
