// Reference comparison on a second shape: float64, weights injected from the seeded global generator.
// B=3, T=6, dModel=8, nHeads=2 (head size 4).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new CausalSelfAttention(8, 2))
{
    const int B = 3, T = 6, D = 8;
    layer.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

        var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
        var y = layer.forward(x);
        Observe("out", y);
    }
}
