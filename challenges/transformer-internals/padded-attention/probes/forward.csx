// Reference comparison on a small padded batch: float64, weights injected from the seeded global
// generator. B=3, T=6, dModel=12, nHeads=3 (head size 4); sequence lengths 6, 4 and 1, right-padded
// (the padding positions hold random vectors like any token).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new PaddedSelfAttention(12, 3))
{
    const int B = 3, T = 6, D = 12;
    layer.to(torch.float64);
    using (torch.no_grad())
    {
        // Inject weights by name (sorted), so field order in the candidate's class does not matter.
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

        var lengths = torch.tensor(new long[] { 6, 4, 1 });
        var validMask = torch.arange(T).unsqueeze(0).lt(lengths.unsqueeze(1));   // (B, T), true at real tokens
        var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
        Observe("out", layer.forward(x, validMask));
    }
}
