// Statistics of long runs, seeds drawn from the probe's seed:
//  - 20,000 draws with weights 5, 3, 2, 0 (sizes 40, 7, 3, 5): the largest gap between a source's
//    share of the draws and its normalised weight (worst_share_gap); whether the zero-weight
//    source was never drawn (zero_weight_never_drawn);
//  - in the same run, whether every epoch of every source (each run of size-of-source consecutive
//    draws from it) contains each of its examples exactly once (epochs_are_permutations);
//  - whether each source's Epochs count equals its draws divided by its size, rounded down
//    (epochs_reported vs epochs_counted);
//  - for the source of 3 examples, the share of (epoch, position) pairs where the example at
//    position p of the epoch is example p (fixed_point_share; a uniform shuffle gives 1/3).
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var sizes = new[] { 40, 7, 3, 5 };
var weights = new[] { 5.0, 3.0, 2.0, 0.0 };
int seed = (int)(torch.randint(0, int.MaxValue, new long[] { 1 }).item<long>());
var sampler = new MixtureSampler(sizes, weights, seed);
const int N = 20000;
var perSource = sizes.Select(_ => new List<int>()).ToArray();
for (int k = 0; k < N; k++)
{
    var (source, index) = sampler.Next();
    perSource[source].Add(index);
}

double total = weights.Sum();
double worst = 0;
for (int s = 0; s < sizes.Length; s++)
    worst = Math.Max(worst, Math.Abs(perSource[s].Count / (double)N - weights[s] / total));
Observe("worst_share_gap", worst);
Observe("zero_weight_never_drawn", perSource[3].Count == 0);

bool permutations = true;
for (int s = 0; s < sizes.Length; s++)
    for (int start = 0; start + sizes[s] <= perSource[s].Count; start += sizes[s])
        if (perSource[s].Skip(start).Take(sizes[s]).Distinct().Count() != sizes[s])
            permutations = false;
Observe("epochs_are_permutations", permutations);

Observe("epochs_reported", torch.tensor(Enumerable.Range(0, sizes.Length).Select(s => (double)sampler.Epochs(s)).ToArray(), dtype: torch.float64));
Observe("epochs_counted", torch.tensor(Enumerable.Range(0, sizes.Length).Select(s => (double)(perSource[s].Count / sizes[s])).ToArray(), dtype: torch.float64));

int fixedPoints = 0, positions = 0;
var small = perSource[2];
for (int start = 0; start + 3 <= small.Count; start += 3)
    for (int p = 0; p < 3; p++)
    {
        positions++;
        if (small[start + p] == p) fixedPoints++;
    }
Observe("fixed_point_share", positions == 0 ? 0.0 : fixedPoints / (double)positions);
