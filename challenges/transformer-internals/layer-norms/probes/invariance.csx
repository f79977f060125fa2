// Invariances with eps = 0, float64, x (B=2, T=6, d=7), weights injected; c varies per row:
//  - LayerNorm(x + c) = LayerNorm(x), c in [-20, 20];
//  - LayerNorm(c * x) = LayerNorm(x) and RMSNorm(c * x) = RMSNorm(x), c in [0.05, 50];
//  - RMSNorm(x + c), compared with the reference (RMSNorm is not shift invariant).
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
using (var ln = new LayerNormalization(7, 0.0))
using (var rms = new RMSNormalization(7, 0.0))
using (torch.no_grad())
{
    ln.to(torch.float64); rms.to(torch.float64);
    Inject(ln); Inject(rms);
    var x = torch.randn(new long[] { 2, 6, 7 }, dtype: torch.float64);
    var shift = (torch.rand(new long[] { 2, 6, 1 }, dtype: torch.float64) - 0.5) * 40.0;
    var scale = torch.exp(torch.rand(new long[] { 2, 6, 1 }, dtype: torch.float64) * Math.Log(1000.0)) * 0.05;
    Observe("ln_x", ln.forward(x));
    Observe("ln_shifted", ln.forward(x + shift));
    Observe("ln_scaled", ln.forward(x * scale));
    Observe("rms_x", rms.forward(x));
    Observe("rms_scaled", rms.forward(x * scale));
    Observe("rms_shifted", rms.forward(x + shift));
}
