// TinyGpt logits against the reference: default GptConfig in float64, every parameter injected
// (by name, in sorted order) from the seeded generator, a fixed batch B=2, T=7.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
    {
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            if (name.Contains("ln")) p.copy_(name.EndsWith("weight") ? 1 + 0.2 * r : 0.2 * r);
            else if (p.dim() == 1) p.copy_(0.2 * r);
            else if (name.EndsWith("wte.weight") || name.EndsWith("wpe.weight")) p.copy_(r);
            else p.copy_(r / Math.Sqrt(p.shape[1]));
        }
    }
}

using (var scope = torch.NewDisposeScope())
using (var model = new TinyGpt(new GptConfig()))
{
    model.to(torch.float64);
    Inject(model);
    model.eval();
    using (torch.no_grad())
    {
        var idx = torch.randint(1, 16, new long[] { 2, 7 }, dtype: torch.int64);
        Observe("logits", model.forward(idx));
    }
}
