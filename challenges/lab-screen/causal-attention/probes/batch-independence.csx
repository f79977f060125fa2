// Batch rows are independent: replacing batch row 1 must not change the output of batch row 0.
// B=2, T=5, dModel=12, nHeads=3.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new CausalSelfAttention(12, 3))
{
    const int B = 2, T = 5, D = 12;
    layer.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

        var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
        var otherRow = torch.randn(new long[] { 1, T, D }, dtype: torch.float64);
        var xPerturbed = torch.cat(new[] { x.narrow(0, 0, 1), otherRow }, 0);

        var y = layer.forward(x);
        var y2 = layer.forward(xPerturbed);
        Observe("row0_original", y.narrow(0, 0, 1));
        Observe("row0_perturbed", y2.narrow(0, 0, 1));
    }
}
