using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Windows for truncated back-propagation through time over one long token stream.
///
/// The stream of N tokens is cut into <c>batchSize</c> lanes of L = (N - 1) / batchSize consecutive
/// positions: lane b reads the stream from position b * L on, so that a lane's hidden state can be
/// carried from one window to the next. Window k holds the columns k * window .. of every lane (the
/// last window may be shorter); the target of each input token is the token that follows it in the
/// stream. The tokens after position batchSize * L are not used.
/// </summary>
public static class Batcher
{
    /// <summary>The windows in order; inputs and targets are int64 (batchSize, length).</summary>
    public static List<(Tensor Inputs, Tensor Targets)> Windows(long[] stream, int batchSize, int window)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (batchSize < 1 || window < 1)
            throw new ArgumentException("batchSize and window must be positive");
        long length = (stream.Length - 1) / batchSize;
        if (length < 1)
            throw new ArgumentException($"a stream of {stream.Length} tokens is too short for {batchSize} lanes", nameof(stream));

        var all = torch.tensor(stream, dtype: torch.int64);
        var inputs = Lanes(all.narrow(0, 0, batchSize * length), batchSize, length);
        var targets = Lanes(all.narrow(0, 1, batchSize * length), batchSize, length);
        var windows = new List<(Tensor Inputs, Tensor Targets)>();
        for (long start = 0; start < length; start += window)
        {
            long width = Math.Min(window, length - start);
            windows.Add((inputs.narrow(1, start, width).contiguous(), targets.narrow(1, start, width).contiguous()));
        }
        return windows;
    }

    // (lanes * length) -> (lanes, length): lane b is the b-th run of `length` consecutive tokens.
    private static Tensor Lanes(Tensor flat, long lanes, long length) => flat.view(lanes, length);
}
