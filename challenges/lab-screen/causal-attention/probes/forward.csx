// Reference comparison on a small batch: float64, weights injected from the seeded global generator.
// B=2, T=5, dModel=12, nHeads=3 (head size 4): no two axes have the same length.
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
        // Inject weights by name (sorted), so field order in the candidate's class does not matter.
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

        var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
        var y = layer.forward(x);
        Observe("out", y);
    }
}
