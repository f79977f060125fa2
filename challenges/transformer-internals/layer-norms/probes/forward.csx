// Both layers on a small batch of token activations, float64: x (B=2, T=5, d=12), weights injected
// (weight about 1 +- 0.2, bias about +-0.2), default eps.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(name == "weight" ? 1 + 0.2 * torch.randn(p.shape, dtype: torch.float64) : 0.2 * torch.randn(p.shape, dtype: torch.float64));
}

using (var scope = torch.NewDisposeScope())
using (var ln = new LayerNormalization(12))
using (var rms = new RMSNormalization(12))
using (torch.no_grad())
{
    ln.to(torch.float64); rms.to(torch.float64);
    Inject(ln); Inject(rms);
    var x = torch.randn(new long[] { 2, 5, 12 }, dtype: torch.float64) * 1.5 + 0.5;
    Observe("layer_norm", ln.forward(x));
    Observe("rms_norm", rms.forward(x));
}
