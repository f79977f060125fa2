using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Training batches for next-token prediction.
///
/// A sequence is a <c>long[]</c> of token ids, at least 2 and at most <c>blockSize + 1</c> tokens long.
/// Token <see cref="Pad"/> (0) is never part of a sequence: it only fills the tail of shorter rows.
/// </summary>
public static class Batches
{
    /// <summary>The padding token.</summary>
    public const long Pad = 0;

    /// <summary>
    /// Packs sequences into a batch; both tensors are int64 of shape (B, blockSize). Row b holds
    /// sequence b followed by <see cref="Pad"/>: <c>inputs[b, t] = seq[t]</c> for <c>t &lt; seq.Length</c>,
    /// and <c>targets[b, t] = seq[t + 1]</c> for <c>t &lt; seq.Length - 1</c>. All other positions hold
    /// Pad (so the last token of a short sequence is an input whose target is Pad).
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) Make(IReadOnlyList<long[]> sequences, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
            throw new ArgumentException("a batch needs at least one sequence", nameof(sequences));

        int rows = sequences.Count, width = blockSize + 1;
        var tokens = new long[rows * width]; // zero-initialised: everything starts as Pad
        for (int b = 0; b < rows; b++)
        {
            var seq = sequences[b];
            if (seq.Length < 2 || seq.Length > width)
                throw new ArgumentException($"sequence {b} has {seq.Length} tokens; expected 2..{width}");
            Array.Copy(seq, 0, tokens, b * width, seq.Length);
        }

        // One padded row of blockSize + 1 tokens gives blockSize (input, next token) pairs.
        var padded = torch.tensor(tokens, new long[] { rows, width }, dtype: torch.int64);
        var inputs = padded.narrow(1, 0, blockSize);
        var targets = padded.narrow(1, 1, blockSize);
        return (inputs.contiguous(), targets.contiguous());
    }

    /// <summary>A random minibatch: <paramref name="batchSize"/> sequences drawn with replacement.</summary>
    public static (Tensor Inputs, Tensor Targets) Sample(IReadOnlyList<long[]> corpus, int batchSize, int blockSize, Random rng)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(rng);
        var picked = new long[batchSize][];
        for (int i = 0; i < batchSize; i++)
            picked[i] = corpus[rng.Next(corpus.Count)];
        return Make(picked, blockSize);
    }
}
