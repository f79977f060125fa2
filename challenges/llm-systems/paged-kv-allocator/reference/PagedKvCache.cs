using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// A PagedAttention-style KV cache: keys and values live in a pool of fixed-size physical blocks,
/// and each sequence owns a block table, the list of its blocks in logical order. Token t of a
/// sequence is stored in block table[t / BlockSize] at slot t % BlockSize.
/// </summary>
public sealed class PagedKvCache
{
    private readonly SortedSet<int> _free = new();
    private readonly Dictionary<int, List<int>> _tables = new();
    private readonly Dictionary<int, int> _lengths = new();

    public int NumBlocks { get; }
    public int BlockSize { get; }
    public int Dim { get; }

    /// <summary>Physical key storage, (NumBlocks, BlockSize, Dim), float64.</summary>
    public Tensor KeyPool { get; }

    /// <summary>Physical value storage, (NumBlocks, BlockSize, Dim), float64.</summary>
    public Tensor ValuePool { get; }

    public PagedKvCache(int numBlocks, int blockSize, int dim)
    {
        if (numBlocks <= 0 || blockSize <= 0 || dim <= 0)
            throw new ArgumentException("numBlocks, blockSize and dim must be positive.");
        NumBlocks = numBlocks;
        BlockSize = blockSize;
        Dim = dim;
        KeyPool = torch.zeros(new long[] { numBlocks, blockSize, dim }, dtype: torch.float64);
        ValuePool = torch.zeros(new long[] { numBlocks, blockSize, dim }, dtype: torch.float64);
        for (int b = 0; b < numBlocks; b++)
            _free.Add(b);
    }

    /// <summary>Blocks owned by no sequence.</summary>
    public int FreeBlockCount => _free.Count;

    /// <summary>Blocks owned by some sequence: the sum of the block-table lengths.</summary>
    public int UsedBlockCount => _tables.Values.Sum(t => t.Count);

    /// <summary>The number of blocks a sequence of the given length occupies: ceil(length / BlockSize).</summary>
    public int BlocksFor(int length) => (length + BlockSize - 1) / BlockSize;

    public bool Contains(int seqId) => _tables.ContainsKey(seqId);

    public int Length(int seqId) => _lengths[seqId];

    /// <summary>A copy of the sequence's block table (physical block ids in logical order).</summary>
    public int[] BlockTable(int seqId) => _tables[seqId].ToArray();

    /// <summary>
    /// Starts a sequence with its prompt's keys and values, (length, Dim) each, length >= 1.
    /// Throws InvalidOperationException, changing nothing, when the free blocks do not suffice.
    /// </summary>
    public void Allocate(int seqId, Tensor keys, Tensor values)
    {
        if (_tables.ContainsKey(seqId))
            throw new InvalidOperationException($"sequence {seqId} already exists.");
        int length = (int)keys.shape[0];
        if (length < 1)
            throw new ArgumentException("a prompt has at least one token.");
        if (BlocksFor(length) > _free.Count)
            throw new InvalidOperationException($"out of blocks: {BlocksFor(length)} needed, {_free.Count} free.");
        _tables[seqId] = new List<int>();
        _lengths[seqId] = 0;
        Append(seqId, keys, values);
    }

    /// <summary>
    /// Appends tokens' keys and values, (n, Dim) each, to a sequence: into the free slots of its
    /// last block first, then into new blocks. Throws InvalidOperationException, changing nothing,
    /// when the free blocks do not suffice.
    /// </summary>
    public void Append(int seqId, Tensor keys, Tensor values)
    {
        var table = _tables[seqId];
        int length = _lengths[seqId];
        int n = (int)keys.shape[0];
        int newBlocks = BlocksFor(length + n) - table.Count;
        if (newBlocks > _free.Count)
            throw new InvalidOperationException($"out of blocks: {newBlocks} needed, {_free.Count} free.");
        while (table.Count * BlockSize < length + n)
            table.Add(TakeFreeBlock());
        using (torch.no_grad())
        {
            for (int i = 0; i < n; i++)
            {
                int position = length + i;
                int block = table[position / BlockSize];
                int slot = position % BlockSize;
                KeyPool[block, slot] = keys[i];
                ValuePool[block, slot] = values[i];
            }
        }
        _lengths[seqId] = length + n;
    }

    /// <summary>Releases every block of the sequence and forgets it.</summary>
    public void Free(int seqId)
    {
        var table = _tables[seqId];
        for (int i = 0; i < table.Count; i++)
            _free.Add(table[i]);
        _tables.Remove(seqId);
        _lengths.Remove(seqId);
    }

    /// <summary>The sequence's keys and values in token order, (Length, Dim) each.</summary>
    public (Tensor keys, Tensor values) Gather(int seqId)
    {
        var table = _tables[seqId];
        int length = _lengths[seqId];
        var index = torch.tensor(table.ToArray(), dtype: torch.int64);
        var keys = KeyPool.index_select(0, index).reshape(-1, Dim).narrow(0, 0, length);
        var values = ValuePool.index_select(0, index).reshape(-1, Dim).narrow(0, 0, length);
        return (keys, values);
    }

    // The lowest-numbered free block.
    private int TakeFreeBlock()
    {
        int block = _free.Min;
        _free.Remove(block);
        return block;
    }
}
