// Random operation sequences (seeded): for pools (NumBlocks, BlockSize, Dim) = (24, 4, 3),
// (10, 3, 2), (30, 1, 2), (12, 5, 3), 90 operations each (chosen by a generator seeded from Seed): allocate a new sequence (1 to 12
// prompt tokens), append 1 to 4 tokens to a live sequence, or free one. The probe keeps each
// sequence's keys and values contiguously as well. After every operation it checks:
//  - FreeBlockCount + UsedBlockCount = NumBlocks (free_plus_used against totals);
//  - every sequence holds ceil(length / BlockSize) blocks (blocks_per_sequence_violations);
//  - no block id is owned twice or lies outside the pool (ownership_violations);
//  - Gather equals the contiguous keys and values (gather_max_error; NaN if Gather throws), for
//    the sequence just allocated or appended to, and for every sequence every 15 operations.
// Also observed: which operations threw (threw: an allocation or append that does not fit must
// be refused) and every block table at the end (tables).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var freePlusUsed = new List<double>();
    var totals = new List<double>();
    var threw = new List<double>();
    var tables = new List<double>();
    double blockViolations = 0, ownershipViolations = 0, gatherError = 0;
    foreach (var (numBlocks, blockSize, dim) in new (int, int, int)[] { (24, 4, 3), (10, 3, 2), (30, 1, 2), (12, 5, 3) })
    {
        var cache = new PagedKvCache(numBlocks, blockSize, dim);
        var rng = new Random((int)((Seed + numBlocks) & 0x7fffffff));
        var keys = new Dictionary<int, Tensor>();
        var values = new Dictionary<int, Tensor>();
        int nextId = 0;
        for (int step = 0; step < 90; step++)
        {
            int kind = rng.Next(10);
            var live = keys.Keys.OrderBy(x => x).ToList();
            bool failed = false;
            int touched = -1;
            try
            {
                if (kind < 4 || live.Count == 0)
                {
                    int n = rng.Next(1, 13);
                    var k = torch.randn(new long[] { n, dim }, dtype: torch.float64);
                    var v = torch.randn(new long[] { n, dim }, dtype: torch.float64);
                    cache.Allocate(nextId, k, v);
                    touched = nextId;
                    keys[nextId] = k;
                    values[nextId] = v;
                    nextId++;
                }
                else if (kind < 8)
                {
                    int id = live[rng.Next(live.Count)];
                    int n = rng.Next(1, 5);
                    var k = torch.randn(new long[] { n, dim }, dtype: torch.float64);
                    var v = torch.randn(new long[] { n, dim }, dtype: torch.float64);
                    cache.Append(id, k, v);
                    touched = id;
                    keys[id] = torch.cat(new[] { keys[id], k }, 0);
                    values[id] = torch.cat(new[] { values[id], v }, 0);
                }
                else
                {
                    int id = live[rng.Next(live.Count)];
                    cache.Free(id);
                    keys.Remove(id);
                    values.Remove(id);
                }
            }
            catch (Exception)
            {
                failed = true;
            }
            threw.Add(failed ? 1 : 0);
            freePlusUsed.Add(cache.FreeBlockCount + cache.UsedBlockCount);
            totals.Add(numBlocks);

            var owned = new List<int>();
            foreach (var id in keys.Keys.OrderBy(x => x))
            {
                int length = (int)keys[id].shape[0];
                var table = cache.BlockTable(id);
                blockViolations += Math.Abs(table.Length - (length + blockSize - 1) / blockSize);
                owned.AddRange(table);
                if (id != touched && step % 15 != 14)
                    continue;
                try
                {
                    var (gk, gv) = cache.Gather(id);
                    gatherError = Math.Max(gatherError, Math.Max((gk - keys[id]).abs().max().item<double>(), (gv - values[id]).abs().max().item<double>()));
                }
                catch (Exception)
                {
                    gatherError = double.NaN;
                }
            }
            ownershipViolations += owned.Count - owned.Distinct().Count() + owned.Count(b => b < 0 || b >= numBlocks);
        }
        foreach (var id in keys.Keys.OrderBy(x => x))
        {
            tables.Add(-1);
            tables.AddRange(cache.BlockTable(id).Select(b => (double)b));
        }
    }
    Observe("free_plus_used", torch.tensor(freePlusUsed.ToArray(), dtype: torch.float64));
    Observe("totals", torch.tensor(totals.ToArray(), dtype: torch.float64));
    Observe("blocks_per_sequence_violations", blockViolations);
    Observe("ownership_violations", ownershipViolations);
    Observe("gather_max_error", gatherError);
    Observe("threw", torch.tensor(threw.ToArray(), dtype: torch.float64));
    Observe("tables", torch.tensor(tables.ToArray(), dtype: torch.float64));
}
