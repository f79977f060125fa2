// A fine-tuned adapter on a small batch, float64: LoraLinear(in 6, out 10, rank 3, alpha 12),
// every weight injected, x (4, 6).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Inject every weight by name (sorted): the base layer like a pretrained layer, A and B non-zero
// as after some fine-tuning.
static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            p.copy_(p.dim() == 1 ? 0.2 * r : r / Math.Sqrt(p.shape[1]));
        }
}

using (var scope = torch.NewDisposeScope())
using (var layer = new LoraLinear(6, 10, 3, 12.0))
using (torch.no_grad())
{
    layer.to(torch.float64);
    Inject(layer);
    Observe("out", layer.forward(torch.randn(new long[] { 4, 6 }, dtype: torch.float64)));
}
