// Batcher.Windows over a sweep of stream lengths, lane counts and window lengths (some windows
// shorter than the others, some streams with tokens left over): the inputs and targets of every window.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

var windows = new List<Tensor>();
foreach (var (length, lanes, window) in new[] { (50, 3, 4), (37, 4, 5), (20, 1, 7), (61, 5, 3), (9, 2, 4), (30, 2, 20) })
{
    var stream = torch.randint(0, 1000, new long[] { length }, dtype: torch.int64).data<long>().ToArray();
    var list = Batcher.Windows(stream, lanes, window);
    windows.Add(torch.tensor(new long[] { list.Count }, dtype: torch.int64));
    foreach (var (inputs, targets) in list)
    {
        windows.Add(inputs);
        windows.Add(targets);
    }
}
ObserveAll("windows", windows);
