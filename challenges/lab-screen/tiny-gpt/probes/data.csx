// Batching and the loss, each on its own.
//  - Batches.Make on four sequences of lengths 2..9 with blockSize 8: inputs and targets.
//  - Trainer.Loss on fixed random logits (B=2, T=5, V=16) with hand-made targets, with and
//    without padding positions.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sequences = new List<long[]>
    {
        new long[] { 5, 12, 1, 5, 12, 1, 5, 12, 1 },
        new long[] { 8, 3 },
        new long[] { 14, 14, 9, 2, 14, 14 },
        new long[] { 1, 2, 3, 4, 5, 6, 7, 8 },
    };
    var (inputs, targets) = Batches.Make(sequences, 8);
    Observe("inputs", inputs);
    Observe("targets", targets);

    var logits = 2.0 * torch.randn(new long[] { 2, 5, 16 }, dtype: torch.float64);
    var padded = torch.tensor(new long[] { 4, 9, 15, 0, 0, 2, 2, 7, 13, 0 }, new long[] { 2, 5 }, dtype: torch.int64);
    var full = torch.tensor(new long[] { 4, 9, 15, 1, 6, 2, 2, 7, 13, 11 }, new long[] { 2, 5 }, dtype: torch.int64);
    Observe("loss_with_padding", Trainer.Loss(logits, padded));
    Observe("loss_without_padding", Trainer.Loss(logits, full));
}
