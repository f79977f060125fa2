// A batch with an empty slot: B=3, T=5, dModel=12, nHeads=3, lengths 3, 0 and 5, float64.
//  - the output compared with the reference, and the empty sequence's output against the output
//    projection's bias at every position (its attention weights are all zero);
//  - the gradient of a weighted sum of the outputs w.r.t. every parameter and the input.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (var layer = new PaddedSelfAttention(12, 3))
{
    const int B = 3, T = 5, D = 12;
    layer.to(torch.float64);
    using (torch.no_grad())
        foreach (var (name, p) in layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
            p.copy_(torch.randn(p.shape, dtype: torch.float64) / Math.Sqrt(D));

    var mask = torch.arange(T).unsqueeze(0).lt(torch.tensor(new long[] { 3, 0, 5 }).unsqueeze(1));
    var x = torch.randn(new long[] { B, T, D }, dtype: torch.float64).requires_grad_(true);
    var y = layer.forward(x, mask);
    using (torch.no_grad())
    {
        Observe("out", y);
        Observe("empty_out", y.select(0, 1));
        var bias = layer.named_parameters().First(np => np.name == "output.bias").parameter;
        Observe("output_bias_rows", bias.unsqueeze(0).expand(T, D));
    }
    var objective = (y * torch.randn(new long[] { B, T, D }, dtype: torch.float64)).sum();
    ObserveParameterGradients("parameter_gradients", layer, objective);
    Observe("input_gradient", x.grad is { } g ? g : torch.zeros_like(x));
}
