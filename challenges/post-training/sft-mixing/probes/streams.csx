// Exact streams over a sweep of mixtures, seeds drawn from the probe's seed: 600 draws of each of
//  (sizes 5, 3, 8; weights 6, 3, 1), (sizes 4, 9; weights 1, 1), (sizes 7, 2, 6; weights 0.2, 0,
//  0.8), (sizes 1, 3, 2, 11; weights 2, 5, 1, 2) and (size 13; weight 0.25), compared with the
// reference: draws (source, index) and, after them, each source's epoch count.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

var streams = new List<Tensor>();
var epochs = new List<Tensor>();
foreach (var (sizes, weights) in new (int[], double[])[]
{
    (new[] { 5, 3, 8 }, new[] { 6.0, 3.0, 1.0 }),
    (new[] { 4, 9 }, new[] { 1.0, 1.0 }),
    (new[] { 7, 2, 6 }, new[] { 0.2, 0.0, 0.8 }),
    (new[] { 1, 3, 2, 11 }, new[] { 2.0, 5.0, 1.0, 2.0 }),
    (new[] { 13 }, new[] { 0.25 }),
})
{
    int seed = (int)(torch.randint(0, int.MaxValue, new long[] { 1 }).item<long>());
    var sampler = new MixtureSampler(sizes, weights, seed);
    var draws = new double[1200];
    for (int k = 0; k < 600; k++)
    {
        var (source, index) = sampler.Next();
        draws[2 * k] = source;
        draws[2 * k + 1] = index;
    }
    streams.Add(torch.tensor(draws, dtype: torch.float64));
    var e = new double[sizes.Length];
    for (int s = 0; s < sizes.Length; s++)
        e[s] = sampler.Epochs(s);
    epochs.Add(torch.tensor(e, dtype: torch.float64));
}
ObserveAll("streams", streams);
ObserveAll("epochs", epochs);
