// Rows whose spread is comparable to eps, float64, (B=3, T=4, d=10), default eps and unit weights:
// LayerNorm of 2 + 3e-3 * noise, and RMSNorm of 1e-3 * noise.
using System;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var ln = new LayerNormalization(10))
using (var rms = new RMSNormalization(10))
using (torch.no_grad())
{
    ln.to(torch.float64); rms.to(torch.float64);
    var noise = torch.randn(new long[] { 3, 4, 10 }, dtype: torch.float64);
    Observe("layer_norm_small_spread", ln.forward(2.0 + 3e-3 * noise));
    Observe("rms_norm_small_values", rms.forward(1e-3 * noise));
}
