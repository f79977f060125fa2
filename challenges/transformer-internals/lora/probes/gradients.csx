// Training, float64, every weight injected: LoraLinear(5, 7, rank 3, alpha 6), x (4, 2, 5).
//  - the gradient of a weighted sum of the outputs w.r.t. every parameter, in name order (frozen
//    ones get none: zeros), and w.r.t. the input;
//  - which parameters require a gradient (1) or not (0), in name order;
//  - the outputs after 3 SGD steps (lr 0.1) on the parameters that require a gradient.
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Inject every weight by name (sorted): the base layer like a pretrained layer, A and B non-zero
// as after some fine-tuning.
static void Inject(nn.Module module)
{
    using (torch.no_grad())
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList())
        {
            var r = torch.randn(p.shape, dtype: torch.float64);
            p.copy_(p.dim() == 1 ? 0.2 * r : r / Math.Sqrt(p.shape[1]));
        }
}

using (var scope = torch.NewDisposeScope())
using (var layer = new LoraLinear(5, 7, 3, 6.0))
{
    layer.to(torch.float64);
    Inject(layer);
    var x = torch.randn(new long[] { 4, 2, 5 }, dtype: torch.float64).requires_grad_(true);
    var w = torch.randn(new long[] { 4, 2, 7 }, dtype: torch.float64);
    ObserveParameterGradients("parameter_gradients", layer, (layer.forward(x) * w).sum());
    Observe("input_gradient", x.grad is { } g ? g : torch.zeros_like(x));

    var named = layer.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal).ToList();
    Observe("requires_grad", torch.tensor(named.Select(np => np.parameter.requires_grad ? 1.0 : 0.0).ToArray(), dtype: torch.float64));

    var trainable = named.Where(np => np.parameter.requires_grad).Select(np => np.parameter).ToList();
    var optimizer = torch.optim.SGD(trainable, 0.1);
    var input = torch.randn(new long[] { 6, 5 }, dtype: torch.float64);
    var target = torch.randn(new long[] { 6, 7 }, dtype: torch.float64);
    for (int step = 0; step < 3; step++)
    {
        optimizer.zero_grad();
        (layer.forward(input) - target).pow(2).mean().backward();
        optimizer.step();
    }
    using (torch.no_grad())
        Observe("after_training", layer.forward(input));
}
