// 10,000 draws from three sources with the config's relative weights 6, 3, 1, then with the same
// weights written as probabilities. In both runs a healthy sampler draws about 60 %, 30 % and 10 %.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

foreach (var weights in new[] { new[] { 6.0, 3.0, 1.0 }, new[] { 0.6, 0.3, 0.1 } })
{
    var sampler = new MixtureSampler(new[] { 50, 20, 3 }, weights, 1234);
    var counts = new int[3];
    for (int k = 0; k < 10000; k++)
        counts[sampler.Next().Source]++;
    Console.WriteLine($"weights {string.Join(", ", weights)}: shares {string.Join(", ", counts.Select(c => (c / 10000.0).ToString("F3")))}");
}
