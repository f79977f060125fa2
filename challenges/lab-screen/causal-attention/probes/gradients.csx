// Gradients and large activations, float64, weights injected from the seeded global generator.
// B=2, T=7, dModel=12, nHeads=4 (head size 3): no two axes have the same length.
//  - the gradient of a weighted sum of the outputs with respect to every parameter (by name)
//    and to the input: a path cut anywhere in the block changes some of them;
//  - the output for inputs of magnitude about 20, whose outputs reach well past +-10.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new CausalSelfAttention(12, 4))
{
    const int B = 2, T = 7, D = 12;
    layer.to(torch.float64);
    using (torch.no_grad())
    {
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));
    }

    var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64).requires_grad_(true);
    var weights = torch.randn(new long[] { B, T, D }, dtype: torch.float64);
    var objective = (layer.forward(x) * weights).sum();
    ObserveParameterGradients("parameter_gradients", layer, objective);
    Observe("input_gradient", x.grad is { } g ? g : torch.zeros_like(x));

    using (torch.no_grad())
    {
        var large = torch.randn(new long[] { B, T, D }, dtype: torch.float64) * 20.0;
        Observe("out_large", layer.forward(large));
    }
}
