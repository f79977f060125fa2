// Gradients, float64, default eps, weights injected: the gradient of a weighted sum of each layer's
// output w.r.t. its parameters and its input, x (B=2, T=4, d=6) and (5, 6).
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
using (var ln = new LayerNormalization(6))
using (var rms = new RMSNormalization(6))
{
    ln.to(torch.float64); rms.to(torch.float64);
    Inject(ln); Inject(rms);
    var x = (torch.randn(new long[] { 2, 4, 6 }, dtype: torch.float64) * 2.0 + 1.0).requires_grad_(true);
    var x2 = (torch.randn(new long[] { 5, 6 }, dtype: torch.float64) * 0.5).requires_grad_(true);
    var lnOut = ln.forward(x);
    ObserveParameterGradients("ln_parameter_gradients", ln, (lnOut * torch.randn(lnOut.shape, dtype: torch.float64)).sum());
    ObserveGradients("ln_input_gradient", ln.forward(x2), x2);
    var rmsOut = rms.forward(x);
    ObserveParameterGradients("rms_parameter_gradients", rms, (rmsOut * torch.randn(rmsOut.shape, dtype: torch.float64)).sum());
    ObserveGradients("rms_input_gradient", rms.forward(x2), x2);
}
