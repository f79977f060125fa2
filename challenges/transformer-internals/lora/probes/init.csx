// New adapters, float64: only the base layer's weights are injected (a pretrained layer), A and B
// are left as the constructor made them. For (in, out, rank, alpha) = (7, 5, 2, 4), (6, 6, 3, 12)
// and (4, 9, 4, 1): the outputs must equal the base layer's, x Wᵀ + b computed here (new_outputs vs
// base_outputs); B must be all zeros and A not.
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

using (var scope = torch.NewDisposeScope())
using (torch.no_grad())
{
    var outs = new List<Tensor>();
    var expected = new List<Tensor>();
    bool bZero = true, aNonZero = true;
    foreach (var (inF, outF, rank, alpha) in new[] { (7, 5, 2, 4.0), (6, 6, 3, 12.0), (4, 9, 4, 1.0) })
    {
        var layer = new LoraLinear(inF, outF, rank, alpha);
        layer.to(torch.float64);
        var parameters = layer.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        var w = torch.randn(new long[] { outF, inF }, dtype: torch.float64) / Math.Sqrt(inF);
        var b = torch.randn(new long[] { outF }, dtype: torch.float64) * 0.2;
        parameters["base_layer.weight"].copy_(w);
        parameters["base_layer.bias"].copy_(b);
        var x = torch.randn(new long[] { 3, inF }, dtype: torch.float64) * 2.0;
        outs.Add(layer.forward(x).reshape(-1));
        expected.Add((torch.matmul(x, w.t()) + b).reshape(-1));
        bZero &= parameters["lora_B"].abs().max().item<double>() == 0.0;
        aNonZero &= parameters["lora_A"].abs().min().item<double>() > 0.0;
    }
    Observe("new_outputs", torch.cat(outs.ToArray(), 0));
    Observe("base_outputs", torch.cat(expected.ToArray(), 0));
    Observe("lora_B_starts_at_zero", bZero);
    Observe("lora_A_starts_non_zero", aNonZero);
}
