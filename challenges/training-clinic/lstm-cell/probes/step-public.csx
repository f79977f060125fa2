// One LstmCell.Step, float64, B = 2, inputSize 3, H = 5, weights injected by name from the seeded
// generator, random h and c: the next h and c.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var cell = new LstmCell(3, 5);
    cell.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in cell.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) * 0.7);
    var x = torch.randn(new long[] { 2, 3 }, dtype: torch.float64);
    var h = torch.randn(new long[] { 2, 5 }, dtype: torch.float64);
    var c = torch.randn(new long[] { 2, 5 }, dtype: torch.float64);
    var (hNext, cNext) = cell.Step(x, h, c);
    Observe("next_state", torch.cat(new[] { hNext, cNext }, 1));
}
