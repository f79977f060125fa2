// The small source (3 examples) on its own, weights 0.6, 0.3, 0.1. Its first two epochs should
// each hold examples 0, 1 and 2 once, and after 6 of its draws Epochs(2) should be 2. Over
// 1,000 epochs (groups of 3 draws of a source alone), each example should come first in about a
// third of them.
var small = new MixtureSampler(new[] { 50, 20, 3 }, new[] { 0.6, 0.3, 0.1 }, 1234);
var drawn = new System.Collections.Generic.List<int>();
while (drawn.Count < 6)
{
    var (source, index) = small.Next();
    if (source == 2) drawn.Add(index);
}
Console.WriteLine($"first 6 draws of source 2: {string.Join(" ", drawn)}; Epochs(2) = {small.Epochs(2)}");

var alone = new MixtureSampler(new[] { 3 }, new[] { 1.0 }, 99);
var opens = new int[3];
for (int epoch = 0; epoch < 1000; epoch++)
{
    opens[alone.Next().Index]++;
    alone.Next();
    alone.Next();
}
Console.WriteLine($"epochs opened by example 0, 1, 2: {string.Join(", ", opens)}");
