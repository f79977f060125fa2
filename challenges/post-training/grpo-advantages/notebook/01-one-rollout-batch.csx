// One rollout batch as the sampler produces it: 3 prompts, 4 answers each, interleaved
// (answer i belongs to prompt i % 3). Within each prompt's group a healthy GRPO advantage has
// mean 0 and (population) standard deviation 1.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var rewards = tensor(new double[] { 1, 0.2, 3, 0, 0.8, 5, 1, 0.1, 1, 0, 0.5, 2 }, dtype: float64);
var groups = arange(12, dtype: int64) % 3;
var advantages = Grpo.Advantages(rewards, groups, 3, 1e-6);
Show(advantages, "advantages");
for (int g = 0; g < 3; g++)
{
    var a = advantages.masked_select(groups.eq(g));
    Console.WriteLine($"group {g}: mean {a.mean().item<double>():F4}, std {a.std(false).item<double>():F4}");
}
