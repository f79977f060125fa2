// Gradients, float64: B=4, T=7, dModel=12, nHeads=4 (head size 3), lengths 7, 4, 2 and 5. The
// gradient of a weighted sum of the outputs w.r.t. every parameter (by name) and the input.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new PaddedSelfAttention(12, 4))
{
    const int B = 4, T = 7, D = 12;
    layer.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

    var mask = torch.arange(T).unsqueeze(0).lt(torch.tensor(new long[] { 7, 4, 2, 5 }).unsqueeze(1));
    var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64).requires_grad_(true);
    var objective = (layer.forward(x, mask) * torch.randn(new long[] { B, T, D }, dtype: torch.float64)).sum();
    ObserveParameterGradients("parameter_gradients", layer, objective);
    Observe("input_gradient", x.grad is { } g ? g : torch.zeros_like(x));
}
