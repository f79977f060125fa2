// Hand-made edge cases, BlockSize 4, Dim 2.
//  - a new cache of 8 blocks reports NumBlocks 8, BlockSize 4, Dim 2, 8 free and 0 used blocks
//    (geometry against geometry_expected);
//  - BlocksFor(1..13) is ceil(length / 4) (blocks_for against blocks_for_expected);
//  - a pool of 4 blocks: allocate 9 tokens (3 blocks); an allocation of 5 tokens (2 blocks) must
//    be refused and change nothing; one of exactly 4 tokens must succeed; appending 3 tokens to
//    the first sequence fills its partial block; appending one more must be refused
//    (capacity, against capacity_expected);
//  - block reuse: sequences A, B, C of 4 tokens each, free A, append one token to C: C's table is
//    [2, 0], and Gather of C must follow the table's order (reuse_gather against reuse_contiguous);
//  - appends of 1, 2, 3, 5 and 7 tokens at once that cross block boundaries (appends_gather
//    against appends_contiguous).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    Tensor Kv(int n) => torch.randn(new long[] { n, 2 }, dtype: torch.float64);
    var probeCache = new PagedKvCache(8, 4, 2);
    Observe("geometry", torch.tensor(new double[] { probeCache.NumBlocks, probeCache.BlockSize, probeCache.Dim, probeCache.FreeBlockCount, probeCache.UsedBlockCount }, dtype: torch.float64));
    Observe("geometry_expected", torch.tensor(new double[] { 8, 4, 2, 8, 0 }, dtype: torch.float64));
    Observe("blocks_for", torch.tensor(Enumerable.Range(1, 13).Select(l => (double)probeCache.BlocksFor(l)).ToArray(), dtype: torch.float64));
    Observe("blocks_for_expected", torch.tensor(Enumerable.Range(1, 13).Select(l => (double)((l + 3) / 4)).ToArray(), dtype: torch.float64));

    var capacity = new List<double>();
    var small = new PagedKvCache(4, 4, 2);
    small.Allocate(0, Kv(9), Kv(9));
    capacity.Add(small.FreeBlockCount);                                   // 1
    bool refused = false;
    try { small.Allocate(1, Kv(5), Kv(5)); } catch (InvalidOperationException) { refused = true; }
    capacity.Add(refused ? 1 : 0);                                        // 1
    capacity.Add(small.Contains(1) ? 1 : 0);                              // 0
    capacity.Add(small.FreeBlockCount);                                   // 1
    bool fits = true;
    try { small.Allocate(2, Kv(4), Kv(4)); } catch (Exception) { fits = false; }
    capacity.Add(fits ? 1 : 0);                                           // 1
    capacity.Add(small.FreeBlockCount);                                   // 0
    bool appended = true;
    try { small.Append(0, Kv(3), Kv(3)); } catch (Exception) { appended = false; }
    capacity.Add(appended ? 1 : 0);                                       // 1
    bool appendRefused = false;
    try { small.Append(0, Kv(1), Kv(1)); } catch (InvalidOperationException) { appendRefused = true; }
    capacity.Add(appendRefused ? 1 : 0);                                  // 1
    capacity.Add(small.Length(0));                                        // 12
    Observe("capacity", torch.tensor(capacity.ToArray(), dtype: torch.float64));
    Observe("capacity_expected", torch.tensor(new double[] { 1, 1, 0, 1, 1, 0, 1, 1, 12 }, dtype: torch.float64));

    var reuse = new PagedKvCache(6, 4, 2);
    var kc = Kv(4); var vc = Kv(4);
    reuse.Allocate(0, Kv(4), Kv(4));
    reuse.Allocate(1, Kv(4), Kv(4));
    reuse.Allocate(2, kc, vc);
    reuse.Free(0);
    var kn = Kv(1); var vn = Kv(1);
    reuse.Append(2, kn, vn);
    var (rk, rv) = reuse.Gather(2);
    Observe("reuse_gather", torch.cat(new[] { rk, rv }, 0));
    Observe("reuse_contiguous", torch.cat(new[] { kc, kn, vc, vn }, 0));
    Observe("reuse_table", torch.tensor(reuse.BlockTable(2).Select(b => (double)b).ToArray(), dtype: torch.float64));

    var appends = new PagedKvCache(20, 4, 2);
    var allK = new List<Tensor>();
    var allV = new List<Tensor>();
    var k0 = Kv(3); var v0 = Kv(3);
    appends.Allocate(7, k0, v0);
    allK.Add(k0); allV.Add(v0);
    foreach (var n in new[] { 1, 2, 3, 5, 7 })
    {
        var k = Kv(n); var v = Kv(n);
        appends.Append(7, k, v);
        allK.Add(k); allV.Add(v);
    }
    var (ak, av) = appends.Gather(7);
    Observe("appends_gather", torch.cat(new[] { ak, av }, 0));
    Observe("appends_contiguous", torch.cat(new[] { torch.cat(allK.ToArray(), 0), torch.cat(allV.ToArray(), 0) }, 0));
}
