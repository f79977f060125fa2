// The first 40 draws of a mixture of three sources of 5, 3 and 8 examples with weights 0.5, 0.3
// and 0.2, seed 7: each draw as (source, index), then each source's epoch count.
using System;
using TorchSharp;
using static TorchSharp.torch;

var sampler = new MixtureSampler(new[] { 5, 3, 8 }, new[] { 0.5, 0.3, 0.2 }, 7);
var draws = new double[80];
for (int k = 0; k < 40; k++)
{
    var (source, index) = sampler.Next();
    draws[2 * k] = source;
    draws[2 * k + 1] = index;
}
Observe("draws", torch.tensor(draws, dtype: torch.float64).reshape(40, 2));
Observe("epochs", torch.tensor(new double[] { sampler.Epochs(0), sampler.Epochs(1), sampler.Epochs(2) }, dtype: torch.float64));
