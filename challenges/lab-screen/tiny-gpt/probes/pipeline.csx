// Data + loss on one small fixed batch: three sequences of different lengths (so the batch is
// padded), blockSize 6, fixed random float64 logits. Observes the loss Trainer.Loss returns.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var sequences = new List<long[]>
    {
        new long[] { 3, 9, 4, 1, 3, 9, 4 },
        new long[] { 7, 7, 2, 5, 7 },
        new long[] { 11, 6, 15, 2, 11, 6 },
    };
    var (inputs, targets) = Batches.Make(sequences, 6);
    var logits = torch.randn(new long[] { 3, 6, 16 }, dtype: torch.float64);
    Observe("loss", Trainer.Loss(logits, targets));
}
