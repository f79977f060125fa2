// Tables over a sweep of (length, dModel, start): small and wide, odd dModel (7, 5, 1), starts past
// 0, a long table (40 positions) and positions around 1000, whose angles reach far past +-10.
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var tables = new List<Tensor>();
    foreach (var (length, dModel, start) in new (long, long, long)[]
    {
        (5, 4, 0), (9, 10, 0), (7, 7, 0), (3, 1, 0), (4, 5, 3), (40, 16, 0), (6, 12, 1000), (2, 3, 17),
    })
        tables.Add(SinusoidalPositions.Table(length, dModel, start));
    ObserveAll("tables", tables);
}
