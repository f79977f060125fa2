// A few requests on a pool of 8 blocks of 4 slots: start three sequences, let them grow, finish
// one. After every step the free and used blocks must add up to the 8 blocks of the pool, and
// each sequence holds ceil(length / 4) blocks.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var cache = new PagedKvCache(8, 4, 2);
Tensor Kv(int n) => randn(new long[] { n, 2 }, dtype: float64);
void Report(string step)
{
    var tables = string.Join("  ", new[] { 0, 1, 2 }.Where(cache.Contains).Select(id => $"seq {id}: len {cache.Length(id)} blocks [{string.Join(", ", cache.BlockTable(id))}]"));
    Console.WriteLine($"{step,-22} free {cache.FreeBlockCount} + used {cache.UsedBlockCount} = {cache.FreeBlockCount + cache.UsedBlockCount}   {tables}");
}
cache.Allocate(0, Kv(6), Kv(6)); Report("allocate 0 (6 tokens)");
cache.Allocate(1, Kv(4), Kv(4)); Report("allocate 1 (4 tokens)");
cache.Free(0); Report("free 0");
cache.Allocate(2, Kv(7), Kv(7)); Report("allocate 2 (7 tokens)");
cache.Free(1); Report("free 1");
cache.Free(2); Report("free 2");
