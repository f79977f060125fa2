// Both layers over a sweep, float64, weights injected per layer: inputs (3, 7) 2-D, (2, 3, 4, 5) 4-D,
// (1, 1, 9) and (4, 6, 3); an explicit eps of 1e-3 and of 0; activations of magnitude up to 1e4
// (WideRange); inputs with a large offset (+-50) whose rows have a variance of about 1e-6,
// comparable to the default eps; and weights and biases 25 times larger (outputs past +-10).
using System;
using System.Collections.Generic;
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
using (torch.no_grad())
{
    var lnOuts = new List<Tensor>();
    var rmsOuts = new List<Tensor>();
    foreach (var (shape, eps, kind) in new (long[], double, string)[]
    {
        (new long[] { 3, 7 }, -1, "randn"),
        (new long[] { 2, 3, 4, 5 }, -1, "randn"),
        (new long[] { 1, 1, 9 }, 1e-3, "randn"),
        (new long[] { 4, 6, 3 }, 0, "randn"),
        (new long[] { 2, 3, 8 }, -1, "wide"),
        (new long[] { 3, 4, 6 }, -1, "tiny-variance"),
        (new long[] { 2, 5, 6 }, -1, "large-weights"),
    })
    {
        int d = (int)shape[shape.Length - 1];
        var ln = eps < 0 ? new LayerNormalization(d) : new LayerNormalization(d, eps);
        var rms = eps < 0 ? new RMSNormalization(d) : new RMSNormalization(d, eps);
        ln.to(torch.float64); rms.to(torch.float64);
        Inject(ln); Inject(rms);
        if (kind == "large-weights")
            using (torch.no_grad()) { foreach (var p in ln.parameters()) p.mul_(25.0); foreach (var p in rms.parameters()) p.mul_(25.0); }
        var x = kind == "wide" ? WideRange(shape) * torch.randn(shape, dtype: torch.float64).sign()
              : kind == "tiny-variance" ? 50.0 * torch.randn(new long[] { shape[0], shape[1], 1 }, dtype: torch.float64).sign() + 1e-3 * torch.randn(shape, dtype: torch.float64)
              : torch.randn(shape, dtype: torch.float64) * 2.0;
        lnOuts.Add(ln.forward(x));
        // RMSNorm on small activations (about 1e-3), where the default eps 1e-6 matters, and on x
        rmsOuts.Add(rms.forward(kind == "tiny-variance" ? x - x.mean(new long[] { -1 }, keepdim: true) : x));
    }
    ObserveAll("layer_norm_outs", lnOuts);
    ObserveAll("rms_norm_outs", rmsOuts);
}
