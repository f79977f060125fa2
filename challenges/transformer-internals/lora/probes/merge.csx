// Merge, float64, every weight injected: a square adapter (8, 8, rank 2, alpha 16) and a non-square
// one (6, 9, rank 4, alpha 8), x of shape (5, in) and (2, 3, in). Outputs before Merge, after Merge,
// and after a second Merge (which must change nothing) must all agree; Merged must be true, and the
// merged base weight must match the reference. After Merge: the outputs for inputs of magnitude up
// to 1e4 (WideRange), and the gradient of the merged layer's output w.r.t. its input.
using System;
using System.Collections.Generic;
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
using (torch.no_grad())
{
    var before = new List<Tensor>();
    var after = new List<Tensor>();
    var afterTwice = new List<Tensor>();
    var mergedWeights = new List<Tensor>();
    bool merged = true;
    foreach (var (inF, outF, rank, alpha) in new[] { (8, 8, 2, 16.0), (6, 9, 4, 8.0) })
    {
        var layer = new LoraLinear(inF, outF, rank, alpha);
        layer.to(torch.float64);
        Inject(layer);
        var x = torch.randn(new long[] { 5, inF }, dtype: torch.float64);
        var x3 = torch.randn(new long[] { 2, 3, inF }, dtype: torch.float64);
        before.Add(torch.cat(new[] { layer.forward(x).reshape(-1), layer.forward(x3).reshape(-1) }, 0));
        merged &= !layer.Merged;
        layer.Merge();
        merged &= layer.Merged;
        after.Add(torch.cat(new[] { layer.forward(x).reshape(-1), layer.forward(x3).reshape(-1) }, 0));
        layer.Merge();
        afterTwice.Add(torch.cat(new[] { layer.forward(x).reshape(-1), layer.forward(x3).reshape(-1) }, 0));
        mergedWeights.Add(layer.named_parameters().First(np => np.name == "base_layer.weight").parameter.clone());
    }
    Observe("unmerged", torch.cat(before.ToArray(), 0));
    Observe("merged", torch.cat(after.ToArray(), 0));
    Observe("merged_twice", torch.cat(afterTwice.ToArray(), 0));
    Observe("merged_flag", merged);
    ObserveAll("merged_weights", mergedWeights);

    var square = new LoraLinear(8, 8, 2, 16.0);
    square.to(torch.float64);
    Inject(square);
    square.Merge();
    Observe("merged_wide", square.forward(WideRange(4, 8) * torch.randn(new long[] { 4, 8 }, dtype: torch.float64).sign()));
    using (torch.enable_grad())
    {
        var xg = torch.randn(new long[] { 3, 8 }, dtype: torch.float64).requires_grad_(true);
        ObserveGradients("merged_input_gradient", square.forward(xg), xg);
    }
}
