// Fine-tuned adapters over a sweep, float64, every weight injected: (in, out, rank, alpha, input
// shape) = (5, 9, 2, 8, (3, 5)), (8, 8, 4, 4, (2, 3, 8)), (7, 3, 1, 16, (6, 7)), (4, 12, 4, 32,
// (2, 2, 3, 4)), and inputs of magnitude up to 1e4 (WideRange) through (6, 5, 3, 6).
using System;
using System.Collections.Generic;
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
using (torch.no_grad())
{
    var outs = new List<Tensor>();
    foreach (var (inF, outF, rank, alpha, shape, wide) in new (int, int, int, double, long[], bool)[]
    {
        (5, 9, 2, 8.0, new long[] { 3, 5 }, false),
        (8, 8, 4, 4.0, new long[] { 2, 3, 8 }, false),
        (7, 3, 1, 16.0, new long[] { 6, 7 }, false),
        (4, 12, 4, 32.0, new long[] { 2, 2, 3, 4 }, false),
        (6, 5, 3, 6.0, new long[] { 4, 6 }, true),
    })
    {
        var layer = new LoraLinear(inF, outF, rank, alpha);
        layer.to(torch.float64);
        Inject(layer);
        var x = wide ? WideRange(shape) * torch.randn(shape, dtype: torch.float64).sign() : torch.randn(shape, dtype: torch.float64);
        outs.Add(layer.forward(x));
    }
    ObserveAll("outs", outs);
}
