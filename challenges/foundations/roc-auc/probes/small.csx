// Auc on a small hand-made example: 10 examples, float64 scores with one group of three tied
// scores that mixes both classes.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var scores = torch.tensor(new double[] { 0.9, 0.2, 0.6, 0.6, 0.35, 0.8, 0.6, 0.1, 0.7, 0.4 }, dtype: torch.float64);
    var labels = torch.tensor(new long[] { 1, 0, 0, 1, 0, 1, 1, 0, 0, 1 }, dtype: torch.int64);
    Observe("auc", RocAuc.Auc(scores, labels));
}
