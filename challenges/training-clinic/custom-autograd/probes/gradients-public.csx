// The gradients of sum(w * ParametricSwish(x)) with respect to x (4, 3) and to the layer's beta
// (3,), float64, beta and x from the seeded generator, through autograd (the custom backward).
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
{
    var layer = new ParametricSwish(3);
    layer.to(torch.float64);
    var beta = layer.parameters().First();
    using (torch.no_grad())
        beta.copy_(torch.randn(3, dtype: torch.float64) + 1.0);
    var x = (torch.randn(new long[] { 4, 3 }, dtype: torch.float64) * 2.0).requires_grad_(true);
    ObserveGradients("gradients", layer.forward(x), x, beta);
}
